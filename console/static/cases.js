/* cases.js: the 诉求 list: the admin API's filters (GET /api/cases with the
 * session, scoped to the account), paging with the total. */
'use strict';

const PAGE = 20;
/* every filter of GET /api/cases, by the name of its form field */
const FILTERS = ['q', 'status', 'township', 'grid', 'category', 'deputy', 'department',
  'channel', 'source', 'overdue', 'triage', 'citizen', 'since'];

function fill(select, entries) {
  for (const [v, label] of entries) select.append(MY.el('option', { value: v }, label));
}

function query() {
  const p = new URLSearchParams(location.search);
  const q = new URLSearchParams();
  for (const k of FILTERS) {
    const v = p.get(k);
    if (v) q.set(k, v);
  }
  const offset = parseInt(p.get('offset') || '0', 10) || 0;
  q.set('limit', PAGE);
  q.set('offset', offset);
  return [q, offset];
}

function row(c) {
  const due = c.due_at ? MY.time(c.due_at).slice(0, 10) : '';
  /* data-label: the column's name, shown beside each cell on a phone */
  const tr = MY.el('tr', { 'data-number': c.number, class: c.overdue ? 'overdue' : null },
    MY.el('td', { class: 'num', 'data-label': '编号' }, MY.el('a', { href: 'case.html?n=' + c.number }, c.number)),
    MY.el('td', { class: 'time', 'data-label': '时间' }, MY.time(c.created_at)),
    MY.el('td', { 'data-label': '地点' }, c.place || MY.name('grids', c.grid),
      c.source ? MY.el('span', { class: 'tag' }, MY.sourceNames[c.source] || c.source) : null),
    MY.el('td', { 'data-label': '类别' }, MY.name('categories', c.category)),
    MY.el('td', { 'data-label': '状态' }, MY.el('span', { class: 'status s-' + c.status }, MY.status(c.status)),
      c.triage ? MY.el('span', { class: 'tag' }, '待分办') : null),
    MY.el('td', { 'data-label': '办理人' }, MY.holder(c)),
    MY.el('td', { 'data-label': '期限' }, due, c.overdue ? MY.el('span', { class: 'tag red' }, '逾期') : null));
  tr.addEventListener('click', (ev) => {
    if (ev.target.tagName !== 'A') location.href = 'case.html?n=' + c.number;
  });
  return tr;
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('cases.html');
    const names = MY.me.names;
    fill(document.getElementById('f-status'), Object.entries(MY.statusNames));
    fill(document.getElementById('f-grid'), Object.entries(names.grids).map(([k, g]) => [k, g.name]));
    fill(document.getElementById('f-deputy'), Object.entries(names.deputies));
    fill(document.getElementById('f-township'), Object.entries(names.townships));
    fill(document.getElementById('f-category'), Object.entries(names.categories));
    fill(document.getElementById('f-department'), Object.entries(names.departments));
    fill(document.getElementById('f-channel'), Object.keys(names.channels || {}).map((k) => [k, MY.channelNames[k] || k]));
    const p = new URLSearchParams(location.search);
    for (const k of FILTERS) {
      const e = document.getElementById('f-' + k);
      const v = p.get(k);
      if (!v) continue;
      /* a link's list of statuses (工作台's cards) gets its own choice */
      if (e.tagName === 'SELECT' && ![...e.options].some((o) => o.value === v)) {
        e.append(MY.el('option', { value: v }, v.split(',').map(MY.status).join('、')));
      }
      e.value = v;
      if (k !== 'q' && k !== 'status') document.getElementById('more-filters').open = true;
    }
    if (window.innerWidth >= 720) document.getElementById('more-filters').open = true;
    document.getElementById('filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(ev.target)) if (v) q.set(k, v);
      location.search = q.toString();
    });
    const [q, offset] = query();
    const d = await MY.api('/api/cases?' + q.toString());
    const tbody = document.querySelector('#cases tbody');
    for (const c of d.cases) tbody.append(row(c));
    if (!d.cases.length) {
      tbody.append(MY.el('tr', {}, MY.el('td', { colspan: 7, class: 'empty' }, '没有符合条件的诉求')));
    }
    const total = typeof d.total === 'number' ? d.total : null;
    /* a broad search counted over its newest matches only: at least total */
    const more = d.total_exact === false;
    const pages = total === null ? null : Math.max(1, Math.ceil(total / PAGE));
    const page = Math.floor(offset / PAGE) + 1;
    document.getElementById('summary').textContent = total === null ?
      '本页 ' + d.cases.length + ' 件' : '共 ' + total + (more ? '+' : '') + ' 件' +
      (more ? '（只数了最近 ' + d.search_scan + ' 条匹配，请加筛选条件缩小范围）' : '');
    document.getElementById('page').textContent = pages === null ?
      '第 ' + page + ' 页' : '第 ' + page + ' / ' + pages + (more ? '+' : '') + ' 页';
    const go = (off) => { const s = new URLSearchParams(location.search); s.set('offset', off); location.search = s.toString(); };
    const prev = document.getElementById('prev');
    const next = document.getElementById('next');
    prev.disabled = offset === 0;
    next.disabled = total === null || more ? d.cases.length < PAGE : offset + PAGE >= total;
    prev.addEventListener('click', () => go(Math.max(0, offset - PAGE)));
    next.addEventListener('click', () => go(offset + PAGE));
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
