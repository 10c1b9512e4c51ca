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
    fact(dl, '评价', c.rating ? c.rating + ' 分' + (c.rating_comment ? '：' + c.rating_comment : '') : '');
    const items = c.events.map((ev) => [ev.at, 0, eventItem(ev)])
      .concat(msgs.map((m) => [m.at, 1, messageItem(m)]));
    items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    const ol = document.getElementById('timeline');
    for (const it of items) ol.append(it[2]);
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
