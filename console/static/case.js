/* case.js: 诉求详情: the case (GET /api/cases/{n} with the session), and its
 * full timeline: every event and every message with the resident and the
 * others, in and out, with delivery status. */
'use strict';

function fact(dl, label, value) {
  if (value === null || value === undefined || value === '') return;
  dl.append(MY.el('dt', {}, label), MY.el('dd', {}, value));
}

function eventItem(ev) {
  const change = ev.to_status && ev.to_status !== ev.from_status ?
    (ev.from_status ? MY.status(ev.from_status) + ' → ' : '') + MY.status(ev.to_status) : '';
  let actor = ev.actor || '';
  const kinds = { deputy: 'deputies', department: 'departments', staff: 'staff', observer: null };
  const colon = actor.indexOf(':');
  if (colon > 0 && actor.slice(0, colon) in kinds) {
    const table = kinds[actor.slice(0, colon)];
    actor = actor.slice(colon + 1);
    if (table && MY.me.names[table] && MY.me.names[table][actor]) actor = MY.name(table, actor);
  }
  if (actor === 'resident') actor = '群众';
  else if (actor === 'system') actor = '系统';
  else if (MY.me.names.deputies[actor]) actor = MY.name('deputies', actor);
  else if (MY.me.names.departments[actor]) actor = MY.name('departments', actor);
  else actor = MY.phone(actor);
  return MY.el('li', { class: 'ev event' },
    MY.el('span', { class: 'when' }, MY.time(ev.at)),
    MY.el('span', { class: 'what' }, MY.eventNames[ev.kind] || ev.kind),
    change ? MY.el('span', { class: 'change' }, change) : null,
    MY.el('span', { class: 'actor' }, actor),
    ev.detail ? MY.el('p', { class: 'detail' }, MY.detail(ev.detail)) : null);
}

function messageItem(m) {
  const inbound = m.dir === 'in';
  return MY.el('li', { class: 'ev msg ' + (inbound ? 'in' : 'out') },
    MY.el('span', { class: 'when' }, MY.time(m.at)),
    MY.el('span', { class: 'what' }, inbound ? '收到' : '发出'),
    MY.el('span', { class: 'actor' }, (inbound ? '来自 ' : '发给 ') + MY.phone(m.address) +
      ' · ' + (MY.channelNames[m.channel] || m.channel)),
    inbound ? null : MY.el('span', { class: 'delivery d-' + m.status },
      MY.deliveryNames[m.status] || m.status),
    MY.el('p', { class: 'detail' }, m.text));
}

/* The actions an account may try on a case in this status; the server
 * (the SMS commands' workflow) has the last word, and says why not. */
function actionsFor(c) {
  const open = !['closed', 'declined', 'cancelled'].includes(c.status);
  if (!open) return [];
  const withDept = ['dispatched', 'in_progress'].includes(c.status);
  const list = [];
  if (MY.me.kind === 'deputy' || MY.me.kind === 'county' || MY.me.kind === 'township') {
    const staff = MY.me.kind !== 'deputy';
    if (c.triage && c.status === 'received') list.push('triage');
    if (['received', 'reopened'].includes(c.status)) list.push('accept');
    if (['accepted', 'reopened', 'dispatched', 'in_progress'].includes(c.status)) list.push('dispatch');
    if (withDept) list.push('press');
    if (c.status !== 'received' && c.status !== 'resolved') list.push('note');
    if (c.status !== 'resolved' && (c.tier || 1) < 3 && (MY.me.kind !== 'county')) list.push('escalate');
    if (!staff && c.status !== 'resolved') list.push('resolve');
    if (['received', 'accepted', 'reopened'].includes(c.status)) list.push('transfer', 'decline');
    if (staff) list.push('close');
    return list;
  }
  if (MY.me.kind === 'department') {
    return withDept ? ['note', 'resolve', 'decline'] : [];
  }
  return list;
}

/* [member, label, kind]: kind text (required), optional (text that may be
 * left out), days, or a names table to choose from. */
const ACTIONS = {
  triage: { label: '分办', fields: [['grid', '分到网格', 'grids']] },
  accept: { label: '接单', fields: [] },
  dispatch: { label: '派单', fields: [['departments', '主办单位', 'departments'],
    ['assist', '协办单位（可多选）', 'assist'], ['days', '办理天数', 'days'],
    ['instruction', '交办要求', 'optional']] },
  press: { label: '督办', fields: [['text', '督办意见', 'text']] },
  note: { label: '记录进展', fields: [['text', '进展情况', 'text']] },
  escalate: { label: '上报', fields: [['text', '上报理由', 'optional']] },
  resolve: { label: '办结', fields: [['text', '办理结果', 'text']] },
  transfer: { label: '转交', fields: [['to', '转给代表', 'deputies']] },
  decline: { label: '退回', fields: [['text', '退回理由', 'text']] },
  close: { label: '结案', fields: [['text', '结案理由（如重复诉求、回访满意）', 'text']] }
};

function actionForm(c, name) {
  const spec = ACTIONS[name];
  const form = MY.el('form', { class: 'action', 'data-action': name });
  for (const [key, label, kind] of spec.fields) {
    let input;
    if (kind === 'text' || kind === 'optional') {
      input = MY.el('textarea', { name: key, rows: 2, maxlength: 300,
        required: kind === 'text' ? 'required' : null });
    } else if (kind === 'assist') {
      input = MY.el('span', { class: 'checks' });
      for (const [id, v] of Object.entries(MY.me.names.departments)) {
        if (id === c.department && !MY.dispatched.includes(c.status)) continue;
        input.append(MY.el('label', { class: 'check' },
          MY.el('input', { type: 'checkbox', name: key, value: id }), v));
      }
    } else if (kind === 'days') {
      input = MY.el('input', { name: key, type: 'number', min: 1, max: 365, placeholder: '默认' });
    } else {
      input = MY.el('select', { name: key, required: 'required' });
      for (const [id, v] of Object.entries(MY.me.names[kind])) {
        if (kind === 'deputies' && id === c.deputy) continue;
        input.append(MY.el('option', { value: id }, typeof v === 'string' ? v : v.name));
      }
      if (kind === 'departments' && c.department) input.value = c.department;
    }
    form.append(MY.el('label', {}, label, input));
  }
  form.append(MY.el('button', { type: 'submit', id: 'act-' + name }, spec.label));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { action: name };
    for (const [k, v] of new FormData(form)) {
      if (v === '') continue;
      if (k === 'departments') body.departments = [v].concat(body.departments || []);
      else if (k === 'assist') {
        body.departments = body.departments || [];
        if (!body.departments.includes(v)) body.departments.push(v);
      } else if (k === 'days') body.days = parseInt(v, 10);
      else body[k] = v;
    }
    if (body.departments) body.departments = body.departments.filter((d, i, a) => a.indexOf(d) === i);
    const out = document.getElementById('action-result');
    try {
      const r = await MY.api('/api/cases/' + c.number + '/actions', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
      });
      sessionStorage.setItem('minyi-done', spec.label + '：' + (r.reply || '已完成'));
      location.reload();
    } catch (e) {
      out.textContent = spec.label + '未成功：' + e.message;
      out.className = 'error';
      out.hidden = false;
    }
  });
  return form;
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('case.html');
    const n = parseInt(new URLSearchParams(location.search).get('n'), 10);
    if (!(n > 0)) throw new Error('缺少诉求编号');
    const [c, msgs] = await Promise.all([
      MY.api('/api/cases/' + n), MY.api('/console/api/cases/' + n + '/messages')]);
    document.title = '诉求 ' + c.number + ' · 联络站工作台';
    const title = document.getElementById('title');
    title.textContent = '诉求 ' + c.number + ' ';
    title.append(MY.el('span', { class: 'status s-' + c.status }, MY.status(c.status)));
    if (c.overdue) title.append(MY.el('span', { class: 'tag red' }, '逾期'));
    document.getElementById('description').textContent = c.description;
    const dl = document.getElementById('facts');
    fact(dl, '群众', MY.phone(c.citizen));
    fact(dl, '渠道', MY.channelNames[c.channel] || c.channel);
    const where = [MY.name('townships', c.township), MY.name('grids', c.grid), c.place].filter(Boolean);
    fact(dl, '地点', where.filter((w, i) => where.indexOf(w) === i).join(' · '));
    fact(dl, '类别', MY.name('categories', c.category));
    fact(dl, '层级', c.tier ? ['', '联络站', '乡镇', '县级'][c.tier] || c.tier : '');
    fact(dl, '代表', MY.name('deputies', c.deputy));
    fact(dl, MY.dispatched.includes(c.status) ? '承办单位' : '对口单位', MY.name('departments', c.department));
    fact(dl, '期限', MY.time(c.due_at));
    fact(dl, '提交时间', MY.time(c.created_at));
    if (c.filed_by) {
      const [fk, fid] = c.filed_by.split(':');
      fact(dl, '登记人', fk === 'staff' ? MY.name('staff', fid) : fk === 'deputy' ?
        MY.name('deputies', fid) : fid);
    }
    if (c.departments && c.departments.length > 1) {
      fact(dl, '协办单位', c.departments.slice(1).map((d) => MY.name('departments', d)).join('、'));
    }
    fact(dl, '交办要求', c.instruction);
    fact(dl, '评价', c.rating ? c.rating + ' 分' + (c.rating_comment ? '：' + c.rating_comment : '') : '');
    const items = c.events.map((ev) => [ev.at, 0, eventItem(ev)])
      .concat(msgs.map((m) => [m.at, 1, messageItem(m)]));
    items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    const names = actionsFor(c);
    if (names.length) {
      const box = document.getElementById('action-forms');
      for (const a of names) box.append(actionForm(c, a));
      document.getElementById('actions').hidden = false;
    }
    const done = sessionStorage.getItem('minyi-done');
    if (done) {
      sessionStorage.removeItem('minyi-done');
      const out = document.getElementById('action-result');
      out.textContent = done;
      out.className = 'notice';
      out.hidden = false;
      document.getElementById('actions').hidden = false;
    }
    const ol = document.getElementById('timeline');
    for (const it of items) ol.append(it[2]);
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
