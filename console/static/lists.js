/* lists.js: 三张清单 (问题/交办/办结) for a period and a township, to read,
 * print and post (the print style leaves only the lists), or download as
 * CSV or Excel from /console/api/lists. */
'use strict';

const COLS = {
  problems: ['number', 'at', 'grid', 'category', 'description', 'status', 'deputy'],
  assignments: ['number', 'at', 'grid', 'description', 'department', 'instruction', 'due', 'status'],
  completions: ['number', 'at', 'grid', 'description', 'department', 'result', 'rating']
};
const LABELS = { number: '编号', at: '时间', grid: '网格', category: '类别', description: '诉求内容',
  status: '状态', deputy: '代表', department: '承办单位', due: '办理时限', instruction: '交办要求', result: '办理结果', rating: '群众评价' };

function fill(id, rows, total) {
  const body = document.querySelector('#' + id + ' tbody');
  body.replaceChildren();
  if (!rows.length) {
    body.append(MY.el('tr', {}, MY.el('td', { class: 'empty', colspan: COLS[id].length }, '本期没有')));
    return;
  }
  for (const r of rows) {
    const tr = MY.el('tr', { 'data-number': r.number });
    for (const k of COLS[id]) {
      const v = r[k] === null || r[k] === undefined ? '' : r[k];
      const td = MY.el('td', { 'data-label': LABELS[k], class: k === 'description' || k === 'result' || k === 'instruction' ? 'text' : null });
      if (k === 'number') td.append(MY.el('a', { href: 'case.html?n=' + r.number }, v)); else td.append(v);
      tr.append(td);
    }
    body.append(tr);
  }
  if (rows.length < total) {
    body.append(MY.el('tr', { class: 'more' }, MY.el('td', { class: 'empty', colspan: COLS[id].length },
      '此处列出前 ' + rows.length + ' 件，共 ' + total + ' 件；完整清单请下载 CSV 或 Excel')));
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('lists.html');
    const params = new URLSearchParams(location.search);
    const sel = document.getElementById('f-township');
    for (const [id, name] of Object.entries(MY.me.names.townships)) sel.append(MY.el('option', { value: id }, name));
    const q = new URLSearchParams();
    for (const k of ['from', 'to', 'township']) {
      const v = params.get(k);
      if (v) { q.set(k, v); document.getElementById('f-' + k).value = v; }
    }
    const o = await MY.api('/console/api/lists?' + q);
    document.getElementById('f-from').value = o.from;
    document.getElementById('f-to').value = o.to;
    const where = o.township_name || '全县';
    document.getElementById('title').textContent = where + '三张清单（' + o.from + ' 至 ' + o.to + '）';
    document.title = where + '三张清单 · 联络站工作台';
    for (const k of ['problems', 'assignments', 'completions']) {
      document.getElementById('total-' + k).textContent = o.totals[k];
      document.getElementById('count-' + k).textContent = '共 ' + o.totals[k] + ' 件';
      fill(k, o[k], o.totals[k]);
    }
    q.set('from', o.from); q.set('to', o.to);
    for (const f of ['csv', 'xlsx']) {
      q.set('format', f);
      document.getElementById('dl-' + f).href = '/console/api/lists?' + q;
    }
    document.getElementById('printed').textContent = MY.time(new Date().toISOString()).slice(0, 10);
    document.getElementById('print').addEventListener('click', () => window.print());
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
