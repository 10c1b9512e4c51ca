/* evaluation.js: 民主评议结果, printable: a round's units with their daily
 * and concentrated parts, score, rank within township and type, and flags
 * (GET /console/api/evaluation/{round}; the page is evaluation.html?round=N). */
'use strict';

const TYPE_NAMES = { enforcement: '行政执法', management: '综合管理', service: '公共服务', window: '服务窗口' };

function verdict(u) {
  const out = [];
  if (u.override) out.push('拉票查实，列为末位');
  if (u.admonished) out.push('诫勉谈话');
  else if (u.criticised) out.push('通报批评，限期整改');
  else if (u.under_80) out.push('80分以下');
  return out.join('；');
}

function num(v) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(1);
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('evaluation.html');
    const round = new URLSearchParams(location.search).get('round') || '';
    const res = await MY.api('/console/api/evaluation/' + encodeURIComponent(round));
    document.getElementById('title').textContent = res.name + ' 民主评议结果';
    document.getElementById('summary').textContent = res.year + '年 · 有效票 ' + res.ballots +
      ' 张' + (res.closed ? ' · 已截止' : ' · 投票进行中');
    const body = document.querySelector('#results tbody');
    for (const u of res.units) {
      body.append(MY.el('tr', { class: u.criticised ? 'overdue' : null },
        MY.el('td', {}, u.name),
        MY.el('td', {}, u.township ? MY.name('townships', u.township) : '县直'),
        MY.el('td', {}, TYPE_NAMES[u.type] || u.type),
        MY.el('td', {}, num(u.daily)),
        MY.el('td', {}, num(u.concentrated)),
        MY.el('td', {}, num(u.score)),
        MY.el('td', {}, u.rank + ' / ' + u.of),
        MY.el('td', {}, verdict(u))));
    }
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
