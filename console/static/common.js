/* common.js: what every workbench page shares: the JSON calls (with the
 * session cookie, and the CSRF token on POST), the header and its logout,
 * names and labels in Chinese, and small DOM helpers.  No inline scripts:
 * the pages load this file and their own. */
'use strict';

const MY = {
  me: null,
  statusNames: {
    received: '待接单', accepted: '已接单', dispatched: '已派单',
    in_progress: '办理中', resolved: '待评价', closed: '已办结',
    reopened: '重新办理', declined: '已退回', cancelled: '已撤销'
  },
  channelNames: { sms: '短信', sim: '短信(模拟)', groups: '网格群', hotline: '热线', station: '联络站' },
  kindNames: { county: '县人大常委会', township: '乡镇', deputy: '代表', department: '承办单位' },
  eventNames: {
    created: '群众点单', accepted: '代表接单', dispatched: '人大派单', note: '进展',
    progress: '进展', resolved: '办结', closed: '结案', reopened: '重新办理',
    declined: '退回', transferred: '转办', escalated: '上报', rated: '群众评单',
    reminded: '督办提醒', overdue: '逾期', cancelled: '撤销', triage: '分办', pressed: '督办',
    triaged: '分办', tier_raised: '上报', returned: '单位退回', closed_unrated: '未评价办结',
    linked: '同类诉求', recategorized: '群众更正问题'
  },
  deliveryNames: {
    pending: '待发送', sending: '发送中', sent: '已发送', delivered: '已送达',
    undelivered: '未送达', failed: '发送失败', dead: '放弃发送'
  }
};

/* el('td', {class: 'x'}, 'text', child...) */
MY.el = function (tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids) {
    if (k === null || k === undefined) continue;
    e.append(k instanceof Node ? k : String(k));
  }
  return e;
};

MY.api = async function (path, opts) {
  opts = Object.assign({ credentials: 'same-origin', headers: {} }, opts || {});
  if (opts.method === 'POST' && MY.me && MY.me.csrf) opts.headers['X-CSRF-Token'] = MY.me.csrf;
  const r = await fetch(path, opts);
  if (r.status === 401) { location.href = '/console/login.html'; throw new Error('未登录'); }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    const err = new Error(r.status === 403 && body.error === 'case outside your scope' ?
      '无权查看：该诉求不在您的管辖范围内' : body.error || ('HTTP ' + r.status));
    err.status = r.status;
    throw err;
  }
  return body;
};

/* ISO UTC -> "2026-12-06 13:05" in the config's timezone (the county's,
 * whatever the clerk's computer is set to) */
MY.time = function (iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  if (!MY.fmt) {
    MY.fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone: (MY.me && MY.me.timezone) || undefined, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'
    });
  }
  const p = {};
  for (const part of MY.fmt.formatToParts(d)) p[part.type] = part.value;
  return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute;
};
MY.name = function (kind, id) {
  if (!id) return '';
  const m = MY.me && MY.me.names[kind];
  const v = m && m[id];
  if (!v) return id;
  return typeof v === 'string' ? v : v.name;
};
MY.status = (s) => MY.statusNames[s] || s || '';
/* "138****8000": the workbench shows residents' numbers masked */
MY.phone = function (p) {
  if (!p) return '';
  const m = /^\+86(\d{3})\d{4}(\d{4})$/.exec(p);
  return m ? m[1] + '****' + m[2] : p;
};
/* Who has it: the deputy, and the department once dispatched to it. */
MY.dispatched = ['dispatched', 'in_progress', 'resolved', 'closed'];
MY.holder = function (c) {
  const parts = [];
  if (c.deputy) parts.push(MY.name('deputies', c.deputy));
  if (c.department && MY.dispatched.includes(c.status)) parts.push(MY.name('departments', c.department));
  return parts.join(' / ');
};
/* An event's "grid=liuxindian category=streetlight" in words. */
MY.detailKeys = { grid: ['网格', 'grids'], category: ['类别', 'categories'], deputy: ['代表', 'deputies'],
  department: ['单位', 'departments'], township: ['乡镇', 'townships'] };
MY.detailWords = { on_behalf: '代办', triage: '待分办' };
MY.sourceNames = { station: '来访', phone: '来电' };
MY.detail = function (text) {
  if (!text || !/^(\w+(=\S+)?\s*)+$/.test(text) || !/=/.test(text)) return text;
  return text.trim().split(/\s+/).map((kv) => {
    if (MY.detailWords[kv]) return MY.detailWords[kv];
    const [k, v] = kv.split('=');
    if (k === 'source') return '来源：' + (MY.sourceNames[v] || v);
    const m = MY.detailKeys[k];
    return m ? m[0] + '：' + MY.name(m[1], v) : kv;
  }).join('，');
};
MY.error = function (where, err) {
  const box = document.getElementById(where);
  if (box) { box.textContent = '出错了：' + err.message; box.hidden = false; }
};

/* Who is logged in; then the header: the pages and 退出. */
MY.start = async function (active) {
  MY.me = await MY.api('/console/api/me');
  const nav = document.getElementById('nav');
  const links = [['index.html', '工作台'], ['cases.html', '诉求']];
  if (MY.me.kind !== 'department' && MY.me.id !== 'admin') links.push(['walkin.html', '登记']);
  links.push(['lists.html', '三张清单'], ['reports.html', '报表'], ['deputies.html', '代表']);
  links.push(['votes.html', '票决'], ['duty.html', '履职']);
  for (const [href, label] of links) {
    nav.append(MY.el('a', { href: href, class: href === active ? 'active' : null }, label));
  }
  const who = document.getElementById('who');
  who.textContent = MY.me.name + '（' + (MY.kindNames[MY.me.kind] || MY.me.kind) + '）';
  const out = MY.el('button', { type: 'button', id: 'logout', class: 'link' }, '退出');
  out.addEventListener('click', async () => {
    try { await MY.api('/console/logout', { method: 'POST' }); } catch (e) { /* gone anyway */ }
    location.href = '/console/login.html';
  });
  who.after(out);
};
