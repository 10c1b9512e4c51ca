/* login.js: posts the form to /console/login and opens the 工作台. */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('login-form');
  const err = document.getElementById('login-error');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    const body = new URLSearchParams(new FormData(form));
    let r;
    try {
      r = await fetch('/console/login', { method: 'POST', body: body, credentials: 'same-origin' });
    } catch (e) {
      err.textContent = '无法连接服务器'; err.hidden = false; return;
    }
    if (r.ok) { location.href = '/console/'; return; }
    const msg = {
      401: '账号或密码错误',
      429: '失败次数过多，账号已锁定 15 分钟',
      400: '请填写账号和密码'
    }[r.status] || ('登录失败（' + r.status + '）');
    err.textContent = msg;
    err.hidden = false;
  });
});
