/* duty.js: 代表履职, printable: the 每月公示 (?month=YYYY-MM) or the year's
 * 考核 (?year=YYYY) of GET /console/api/duty, as `minyi report deputies`
 * ranks them: score, and for the year the stars, the 五个一 checklist and
 * the 约谈 list.  A township's accounts see their township's deputies,
 * ranked among themselves. */
'use strict';

const MONTH_COLS = [['rank', '排名'], ['name', '代表'], ['score', '得分'],
  ['accepted_in_time', '按时接单'], ['resolved', '办结'], ['satisfaction', '满意度'],
  ['station_days', '进站（天）'], ['people_received', '接待（人次）'], ['visits', '走访（户）'],
  ['reports', '社情民意'], ['suggestions', '建议'], ['inspections', '视察']];
const YEAR_COLS = [['rank', '排名'], ['name', '代表'], ['score', '得分'], ['stars', '星级'],
  ['five_reports_months', '每月民意'], ['five_station', '进站接待'], ['five_visits', '走访群众'],
  ['five_inspection', '参加视察'], ['five_suggestion', '提出建议'], ['interview', '约谈'],
  ['station_days', '进站（天）'], ['visits', '走访（户）'], ['reports', '社情民意'],
  ['suggestions', '建议']];

function cell(key, v) {
  if (key === 'stars') return '★'.repeat(v) + '☆'.repeat(Math.max(0, 5 - v));
  if (key === 'interview') return v ? '约谈' : '';
  if (key.startsWith('five_') && typeof v === 'boolean') return v ? '✓' : '✗';
  if (key === 'score' || key === 'satisfaction') return Number(v).toFixed(1);
  return v;
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('duty.html');
    document.getElementById('print').addEventListener('click', () => window.print());
    const q = new URLSearchParams(location.search);
    const arg = q.get('year') ? 'year=' + encodeURIComponent(q.get('year')) :
      q.get('month') ? 'month=' + encodeURIComponent(q.get('month')) : '';
    const res = await MY.api('/console/api/duty' + (arg ? '?' + arg : ''));
    const kind = document.getElementById('f-kind');
    kind.value = res.year ? 'year' : 'month';
    document.getElementById('f-month').value = res.year ? '' : res.period;
    document.getElementById('f-year').value = res.period.slice(0, 4);
    document.getElementById('period').addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.search = kind.value === 'year' ? '?year=' + document.getElementById('f-year').value :
        '?month=' + document.getElementById('f-month').value;
    });
    document.getElementById('dl-csv').href = '/console/api/duty?' +
      (res.year ? 'year=' : 'month=') + res.period + '&format=csv';
    document.getElementById('printed').textContent = MY.time(new Date().toISOString()).slice(0, 10);
    const where = res.township ? MY.name('townships', res.township) : '全县';
    document.getElementById('title').textContent = res.year ?
      res.period + '年度代表履职考核（' + where + '）' : res.period + ' 代表履职公示（' + where + '）';
    document.getElementById('summary').textContent = res.deputies.length + ' 名代表，按得分排名。';
    const cols = res.year ? YEAR_COLS : MONTH_COLS;
    const head = document.querySelector('#deputies thead tr');
    for (const [, label] of cols) head.append(MY.el('th', {}, label));
    const body = document.querySelector('#deputies tbody');
    for (const d of res.deputies) {
      body.append(MY.el('tr', { 'data-deputy': d.deputy, class: d.interview ? 'overdue' : null },
        ...cols.map(([key, label]) => MY.el('td', { 'data-label': label }, cell(key, d[key])))));
    }
    if (res.year) {
      const names = res.deputies.filter((d) => d.interview).map((d) => d.name);
      document.getElementById('interview-box').hidden = false;
      document.getElementById('interview').textContent = '年度得分低于 ' + res.interview_below +
        ' 分：' + (names.length ? names.join('、') : '无');
      document.getElementById('note').textContent = '五个一：每月报送社情民意（月数/12）、每年进站接待群众至少一次、' +
        '走访群众至少 ' + res.visits_min + ' 户、参加一次视察、提出至少一件建议。';
    } else {
      document.getElementById('note').textContent = '得分按 assessment.weights 加权：按时接单、办结、满意度、进站、走访、社情民意、建议、视察。';
    }
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
