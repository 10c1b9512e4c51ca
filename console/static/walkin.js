/* walkin.js: 登记诉求: a walk-in or phoned-in request recorded by staff
 * (POST /api/cases), the resident's own case; then its 诉求详情. */
'use strict';

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('walkin.html');
    const grid = document.getElementById('w-grid');
    for (const [id, g] of Object.entries(MY.me.names.grids)) {
      if (MY.me.township && g.township !== MY.me.township) continue;   /* a township's clerk */
      const town = MY.name('townships', g.township);
      grid.append(MY.el('option', { value: id }, (town ? town + ' · ' : '') + g.name));
    }
    const cat = document.getElementById('w-category');
    for (const [id, v] of Object.entries(MY.me.names.categories)) {
      cat.append(MY.el('option', { value: id }, typeof v === 'string' ? v : v.name));
    }
    const form = document.getElementById('walkin-form');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {};
      for (const [k, v] of new FormData(form)) if (v !== '') body[k] = v;
      const btn = document.getElementById('w-submit');
      btn.disabled = true;
      try {
        const c = await MY.api('/api/cases', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
        });
        sessionStorage.setItem('minyi-done', '已登记为诉求 ' + c.number + '，回执已短信发给群众');
        location.href = 'case.html?n=' + c.number;
      } catch (e) {
        MY.error('error', e);
        btn.disabled = false;
      }
    });
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
