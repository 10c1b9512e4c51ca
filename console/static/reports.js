/* reports.js: 报表: 履职考核 (deputies), 民主评议 (departments) and 高频诉求
 * (a category x grid heat table, with the change against the period
 * before), from /console/api/reports: the figures of `minyi report`. */
'use strict';

const LEVELS = { township: '乡镇', county: '县', city: '市', province: '省', national: '全国' };
const BLUE = '#2874a6', RED = '#c0392b', GREEN = '#239b56', GREY = '#aab4be';

const num = (v) => (v === null || v === undefined ? '–' : v);
const row = (cells) => MY.el('tr', {}, ...cells.map(([label, v, cls]) =>
  MY.el('td', { 'data-label': label, class: cls || null }, num(v))));
const hbar = (canvas, labels, datasets, max) => new Chart(canvas, {
  type: 'bar',
  data: { labels: labels, datasets: datasets },
  options: {
    indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    scales: { x: { beginAtZero: true, max: max, ticks: { precision: 0 } } }
  }
});

function deputies(rows) {
  const body = document.querySelector('#deputies tbody');
  for (const d of rows) {
    body.append(row([['代表', d.name], ['层级', LEVELS[d.level] || d.level], ['收到', d.received],
      ['按时接单', d.accepted_in_time], ['接单用时', d.median_accept_hours], ['办结', d.resolved],
      ['满意度', d.satisfaction], ['逾期', d.overdue, d.overdue ? 'bad' : null]]));
  }
  const busy = rows.filter((d) => d.received > 0);
  const shown = busy.length ? busy : rows;
  hbar(document.getElementById('chart-deputies'), shown.map((d) => d.name), [
    { label: '收到', data: shown.map((d) => d.received), backgroundColor: BLUE },
    { label: '办结', data: shown.map((d) => d.resolved), backgroundColor: GREEN }]);
}

function departments(rows) {
  const body = document.querySelector('#departments tbody');
  for (const d of rows) {
    const tr = row([['排名', d.rank], ['承办单位', d.name], ['派单', d.dispatched], ['办结', d.resolved],
      ['按时办结率', d.on_time_rate === null ? null : d.on_time_rate + '%'],
      ['满意度', d.satisfaction, d.flagged ? 'bad' : null]]);
    if (d.flagged) tr.classList.add('flagged');
    body.append(tr);
  }
  const rated = rows.filter((d) => d.dispatched > 0);
  hbar(document.getElementById('chart-departments'), rated.map((d) => d.name), [{
    label: '满意度', data: rated.map((d) => d.satisfaction),
    backgroundColor: rated.map((d) => (d.flagged ? RED : BLUE))
  }], 100);
}

function hotspots(o) {
  const rows = o.hotspots;
  const cats = [...new Set(rows.map((h) => h.category))];
  const grids = [...new Set(rows.map((h) => h.grid))];
  const cell = {};
  let max = 1;
  for (const h of rows) { cell[h.category + '|' + h.grid] = h; max = Math.max(max, h.requests); }
  const head = document.querySelector('#heat thead tr');
  head.append(MY.el('th', {}, '类别 \\ 网格'));
  for (const g of grids) head.append(MY.el('th', {}, g === '-' ? '未定网格' : MY.name('grids', g)));
  head.append(MY.el('th', {}, '合计'));
  const body = document.querySelector('#heat tbody');
  if (!rows.length) body.append(MY.el('tr', {}, MY.el('td', { class: 'empty', colspan: 2 }, '本期没有诉求')));
  const byCat = {};
  for (const c of cats) {
    const tr = MY.el('tr', {}, MY.el('th', {}, c === '-' ? '未分类' : MY.name('categories', c)));
    let total = 0, before = 0;
    for (const g of grids) {
      const h = cell[c + '|' + g];
      const td = MY.el('td', { 'data-label': g === '-' ? '未定网格' : MY.name('grids', g) });
      if (h) {
        total += h.requests; before += h.before;
        td.append(MY.el('span', { class: 'n' }, h.requests),
          MY.el('span', { class: 'chg ' + (h.change > 0 ? 'up' : h.change < 0 ? 'down' : 'same') },
            h.change > 0 ? '↑' + h.change : h.change < 0 ? '↓' + (-h.change) : '持平'));
        td.className = 'heat-' + Math.min(5, Math.ceil(5 * h.requests / max));
      }
      tr.append(td);
    }
    tr.append(MY.el('td', { 'data-label': '合计', class: 'total' }, total));
    byCat[c] = [total, before];
    body.append(tr);
  }
  document.getElementById('hot-summary').textContent = '本期 ' + o.from + ' 至 ' + o.to +
    '，与上期（' + o.before_from + ' 起同样天数）相比；↑ 增加，↓ 减少。';
  const labels = cats.map((c) => (c === '-' ? '未分类' : MY.name('categories', c)));
  hbar(document.getElementById('chart-hotspots'), labels, [
    { label: '本期', data: cats.map((c) => byCat[c][0]), backgroundColor: RED },
    { label: '上期', data: cats.map((c) => byCat[c][1]), backgroundColor: GREY }]);
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('reports.html');
    const params = new URLSearchParams(location.search);
    const q = new URLSearchParams();
    for (const k of ['from', 'to']) if (params.get(k)) q.set(k, params.get(k));
    const o = await MY.api('/console/api/reports?' + q);
    document.getElementById('f-from').value = o.from;
    document.getElementById('f-to').value = o.to;
    document.getElementById('title').textContent = '报表（' + o.from + ' 至 ' + o.to + '）';
    deputies(o.deputies);
    departments(o.departments);
    hotspots(o);
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
