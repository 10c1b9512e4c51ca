/* deputies.js: 代表: the townships and their grids with who serves each
 * (a schematic, no map tiles: it works on an intranet; and a Leaflet map
 * with a marker per grid when grids have coordinates, over the tiles of
 * console.tile_url when it is set, over a plain background when not), and
 * each deputy's phone, level, grids, duty days, open cases and the
 * period's figures, from /console/api/deputies. */
'use strict';

const LEVELS = { township: '乡镇人大代表', county: '县人大代表', city: '市人大代表', province: '省人大代表', national: '全国人大代表' };

/* "+8613900139000" -> "139 0013 9000" */
function phone(p) {
  const m = /^\+86(\d{3})(\d{4})(\d{4})$/.exec(p || '');
  return m ? m[1] + ' ' + m[2] + ' ' + m[3] : (p || '');
}

const WEEKDAYS = { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' };

/* One marker per grid that has coordinates: its name, deputies and open
 * cases; no tile layer unless the config names a tile server. */
function map(towns, only, tileUrl) {
  const grids = [];
  for (const t of towns) {
    if (only && t.id !== only) continue;
    for (const g of t.grids) if (typeof g.lat === 'number') grids.push(g);
  }
  const box = document.getElementById('map');
  if (!grids.length || typeof L === 'undefined') return;
  box.hidden = false;
  box.classList.toggle('no-tiles', !tileUrl);
  const m = L.map(box, { scrollWheelZoom: false });
  if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(m);
  const pts = [];
  for (const g of grids) {
    const who = g.deputies.map((d) => MY.name('deputies', d)).join('、') || '未配代表';
    const pop = MY.el('div', { class: 'map-pop' },
      MY.el('strong', {}, g.name), MY.el('br'), '代表：' + who, MY.el('br'),
      MY.el('a', { href: 'cases.html?grid=' + g.id }, '在办诉求 ' + g.open + ' 件'));
    L.circleMarker([g.lat, g.lng], { radius: 9, weight: 2, color: '#1f4e79',
      fillColor: g.open ? '#c0392b' : '#2e86c1', fillOpacity: 0.85, className: 'grid-marker grid-' + g.id })
      .bindTooltip(g.name + ' · ' + g.open, { permanent: true, direction: 'right', className: 'grid-label' })
      .bindPopup(pop).addTo(m);
    pts.push([g.lat, g.lng]);
  }
  if (pts.length === 1) m.setView(pts[0], 14);
  else m.fitBounds(pts, { padding: [40, 40], maxZoom: 15 });
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
    body.append(MY.el('tr', { class: 'group' }, MY.el('th', { colspan: 9 }, grp.name + '（' + grp.rows.length + ' 名）')));
    for (const d of grp.rows) {
      body.append(MY.el('tr', { 'data-deputy': d.id },
        MY.el('td', { 'data-label': '代表', class: 'strong' }, d.name),
        MY.el('td', { 'data-label': '层级' }, LEVELS[d.level] || d.level || ''),
        MY.el('td', { 'data-label': '电话' }, MY.el('a', { href: 'tel:' + d.phone }, phone(d.phone))),
        MY.el('td', { 'data-label': '网格' }, d.grids.map((g) => MY.name('grids', g)).join('、')),
        MY.el('td', { 'data-label': '值班日', class: 'duty' }, (d.duty_weekdays || []).map((w) => WEEKDAYS[w]).join('、')),
        MY.el('td', { 'data-label': '本期进站' }, d.station_days + ' 天'),
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
    map(o.townships, only, o.tile_url);
    schematic(o.townships, only);
    table(o, only);
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
