/* votes.js: 民生实事项目票决, printable: a vote's projects with 同意 / 反对 /
 * 弃权, turnout, the quorum and what was adopted (GET /console/api/votes
 * for the list, /console/api/votes/{id} for one; the page is
 * votes.html?vote=N, the newest without it).  A township's accounts see
 * the projects their township's deputies supervise; the turnout is the
 * county's. */
'use strict';

function outcome(v, p) {
  if (!v.closed) return '票决进行中';
  if (!p.quorum_met) return '未达法定人数';
  return p.adopted ? '通过' : '未通过';
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await MY.start('votes.html');
    document.getElementById('print').addEventListener('click', () => window.print());
    const votes = await MY.api('/console/api/votes');
    const pick = document.getElementById('f-vote');
    const want = new URLSearchParams(location.search).get('vote') ||
      (votes.length ? String(votes[0].vote) : '');
    for (const v of votes) {
      pick.append(MY.el('option', { value: v.vote, selected: String(v.vote) === want ? '' : null },
        v.title + '（' + MY.time(v.closes).slice(0, 10) + '截止）'));
    }
    document.getElementById('printed').textContent = MY.time(new Date().toISOString()).slice(0, 10);
    if (!want) {
      document.getElementById('summary').textContent = '还没有票决。';
      document.getElementById('dl-csv').hidden = true;
      document.body.dataset.ready = '1';
      return;
    }
    const v = await MY.api('/console/api/votes/' + encodeURIComponent(want));
    document.getElementById('title').textContent = v.title + ' 票决结果';
    document.getElementById('dl-csv').href = '/console/api/votes/' + v.vote + '?format=csv';
    document.getElementById('turnout').textContent = v.turnout;
    document.getElementById('voters').textContent = v.voters;
    const need = Math.ceil(v.quorum * v.voters - 1e-9);
    document.getElementById('quorum').textContent = need;
    document.getElementById('quorum-l').textContent = '法定人数（' + (v.quorum_met ? '已达到' : '未达到') + '）';
    document.getElementById('summary').textContent = MY.time(v.opens) + ' 至 ' + MY.time(v.closes) +
      ' · 参加 ' + v.turnout + ' / ' + v.voters + ' 人（' +
      (v.voters ? Math.round(100 * v.turnout / v.voters) : 0) + '%）' +
      (v.township ? ' · 本页列出' + MY.name('townships', v.township) + '代表监督的项目（' +
        v.projects.length + ' / ' + v.projects_all + '）' : '');
    const body = document.querySelector('#projects tbody');
    const labels = ['项目', '名称', '同意', '反对', '弃权', '结果', '监督', '跟踪'];
    for (const p of v.projects) {
      const result = outcome(v, p);
      const cells = [p.project, p.title, p.yes, p.no, p.abstain, result,
        p.supervisors.map((d) => MY.name('deputies', d)).join('、'),
        p.case ? MY.el('a', { href: 'case.html?n=' + p.case }, '诉求 ' + p.case) : ''];
      body.append(MY.el('tr', { 'data-project': p.project },
        ...cells.map((c, i) => MY.el('td', { 'data-label': labels[i],
          class: i === 5 && result === '通过' ? 'strong' : null }, c))));
    }
    document.body.dataset.ready = '1';
  } catch (e) {
    MY.error('error', e);
  }
});
