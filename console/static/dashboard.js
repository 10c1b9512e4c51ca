/* dashboard.js: the 工作台: today's counts and 30 days of requests by
 * category and by township (Chart.js, served by minyi from Debian's
 * libjs-chart.js). */
'use strict';

const PALETTE = ['#c0392b', '#2874a6', '#239b56', '#b7950b', '#7d3c98', '#ca6f1e',
  '#148f77', '#5d6d7e', '#a93226', '#1f618d', '#1e8449', '#9a7d0a'];

function stacked(canvas, days, series, kind) {
  const keys = Object.keys(series).sort();
  const datasets = keys.map((k, i) => ({
    label: k ? MY.name(kind, k) : '未分类',
    data: series[k],
    backgroundColor: PALETTE[i % PALETTE.length],
    stack: 's'
  }));
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: days, datasets: datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      scales: {
        x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: window.innerWidth < 720 ? 5 : 10 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
      }
    }
  });
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('index.html');
    const d = await MY.api('/console/api/dashboard');
    for (const [k, v] of Object.entries(d.todo)) {
      const card = document.getElementById('todo-' + k);
      if (card) card.querySelector('.n').textContent = v;
    }
    stacked(document.getElementById('chart-category'), d.days, d.by_category, 'categories');
    stacked(document.getElementById('chart-township'), d.days, d.by_township, 'townships');
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
