/* deputies.js: 代表: the townships and their grids with who serves each
 * (a schematic, no map tiles: it works on an intranet), and each deputy's
 * phone, level, grids, open cases and the period's figures, from
 * /console/api/deputies. */
'use strict';

const LEVELS = { township: '乡镇人大代表', county: '县人大代表', city: '市人大代表', province: '省人大代表', national: '全国人大代表' };

/* "+8613900139000" -> "139 0013 9000" */
function phone(p) {
  const m = /^\+86(\d{3})(\d{4})(\d{4})$/.exec(p || '');
  return m ? m[1] + ' ' + m[2] + ' ' + m[3] : (p || '');
}

function schematic(towns, only) {
  const box = document.getElementById('schematic');
  for (const t of towns) {
    if (only && t.id !== only) continue;
    const sec = MY.el('div', { class: 'town', 'data-township': t.id }, MY.el('h3', {}, t.name));
    const grids = MY.el('div', { class: 'grids' });
    for (const g of t.grids) {
      const people = MY.el('span', { class: 'people' });
      g.deputies.forEach((d, i) => people.append(MY.el('span', { class: i === 0 ? 'lead' : null }, MY.name('deputies', d))));
      if (g.backup) people.append(MY.el('span', { class: 'backup' }, '备：' + MY.name('deputies', g.backup)));
      if (!g.deputies.length && !g.backup) people.append(MY.el('span', { class: 'none' }, '未配代表'));
      grids.append(MY.el('a', { class: 'grid-tile' + (g.open ? ' busy' : ''), href: 'cases.html?grid=' + g.id, 'data-grid': g.id },
        MY.el('span', { class: 'gname' }, g.name), people,
        MY.el('span', { class: 'open', title: '在办诉求' }, g.open)));
    }
    if (!t.grids.length) grids.append(MY.el('span', { class: 'none' }, '未设网格'));
    sec.append(grids);
    box.append(sec);
  }
}

function table(o, only) {
  const body = document.querySelector('#deputies tbody');
  const gridTown = {};
  for (const t of o.townships) for (const g of t.grids) gridTown[g.id] = t;
  const groups = new Map();
  for (const t of o.townships) groups.set(t.id, { name: t.name, rows: [] });
  groups.set('', { name: '县级及以上（不联系网格）', rows: [] });
  for (const d of o.deputies) {
    const towns = [...new Set(d.grids.map((g) => gridTown[g] && gridTown[g].id))].filter(Boolean);
    for (const t of towns.length ? towns : ['']) groups.get(t).rows.push(d);
  }
  for (const [id, grp] of groups) {
    if (!grp.rows.length || (only && id !== only)) continue;
    body.append(MY.el('tr', { class: 'group' }, MY.el('th', { colspan: 7 }, grp.name + '（' + grp.rows.length + ' 名）')));
    for (const d of grp.rows) {
      body.append(MY.el('tr', { 'data-deputy': d.id },
        MY.el('td', { 'data-label': '代表', class: 'strong' }, d.name),
        MY.el('td', { 'data-label': '层级' }, LEVELS[d.level] || d.level || ''),
        MY.el('td', { 'data-label': '电话' }, MY.el('a', { href: 'tel:' + d.phone }, phone(d.phone))),
        MY.el('td', { 'data-label': '网格' }, d.grids.map((g) => MY.name('grids', g)).join('、')),
        MY.el('td', { 'data-label': '在办', class: d.open ? 'strong' : null },
          MY.el('a', { href: 'cases.html?deputy=' + d.id + '&status=received,accepted,dispatched,in_progress,resolved,reopened' }, d.open)),
        MY.el('td', { 'data-label': '本期收到' }, d.received),
        MY.el('td', { 'data-label': '本期办结' }, d.resolved)));
    }
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('deputies.html');
    const params = new URLSearchParams(location.search);
    const sel = document.getElementById('f-township');
    for (const [id, name] of Object.entries(MY.me.names.townships)) sel.append(MY.el('option', { value: id }, name));
    const q = new URLSearchParams();
    for (const k of ['from', 'to']) if (params.get(k)) q.set(k, params.get(k));
    const only = params.get('township') || '';
    sel.value = only;
    const o = await MY.api('/console/api/deputies?' + q);
    document.getElementById('f-from').value = o.from;
    document.getElementById('f-to').value = o.to;
    document.getElementById('period').textContent = '本期：' + o.from + ' 至 ' + o.to;
    schematic(o.townships, only);
    table(o, only);
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
