// The console's behaviour: CSRF header on every htmx request, and small declarative actions that call the
// platform's JSON APIs (data-api on a form or button), then refresh a region, show a value, or navigate.
(() => {
  'use strict';

  const csrf = () => {
    const m = document.cookie.match(/(?:^|;\s*)rb_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
  };

  document.addEventListener('htmx:configRequest', (e) => {
    e.detail.headers['X-CSRF-TOKEN'] = csrf();
  });

  const noticeBox = () => document.getElementById('notice');
  const say = (text, kind) => {
    const box = noticeBox();
    if (!box) return;
    box.textContent = text;
    box.className = kind || 'ok';
    box.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { box.hidden = true; }, 6000);
  };

  document.addEventListener('htmx:responseError', (e) => {
    say('The server answered ' + e.detail.xhr.status + '; nothing was changed.', 'error');
  });
  document.addEventListener('htmx:sendError', () => say('The platform cannot be reached.', 'error'));

  async function call(method, url, body) {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-TOKEN': csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (ignored) { data = null; }
    }
    if (!res.ok) {
      throw new Error((data && (data.detail || data.title)) || ('HTTP ' + res.status));
    }
    return data || {};
  }

  function after(el, data) {
    const steps = (el.dataset.then || '').split(/\s+/).filter(Boolean);
    for (const step of steps) {
      if (step.startsWith('redirect:')) {
        location.assign(step.slice('redirect:'.length));
      } else if (step.startsWith('go:')) {
        const target = data[step.slice('go:'.length)];
        if (typeof target === 'string' && target.startsWith('/')) location.assign(target);
      } else if (step === 'reload') {
        location.reload();
      } else if (step === 'reset' && el.tagName === 'FORM') {
        el.reset();
        el.querySelectorAll('input[type=hidden][data-clear]').forEach((i) => { i.value = ''; });
        el.querySelectorAll('[data-clear-hide]').forEach((n) => { n.hidden = true; });
      } else if (step.startsWith('refresh:')) {
        document.querySelectorAll(step.slice('refresh:'.length)).forEach((t) => htmx.trigger(t, 'refresh'));
      } else if (step.startsWith('show:')) {
        const [field, target] = step.slice('show:'.length).split('>');
        const out = document.querySelector(target);
        if (out) {
          out.textContent = String(data[field] ?? '');
          const box = out.closest('[hidden]') || out;
          box.hidden = false;
          out.hidden = false;
        }
      } else if (step.startsWith('say:')) {
        const field = step.slice('say:'.length);
        if (data[field]) say(String(data[field]));
      }
    }
    if (!steps.some((s) => s.startsWith('say:'))) say('Done.');
  }

  // Form fields as JSON: numbers as numbers, checkboxes as booleans, data-type="list" as arrays (one per
  // line); empty fields are left out, so the API applies its defaults.
  function formBody(form) {
    const body = {};
    for (const input of form.elements) {
      if (!input.name) continue;
      if (input.type === 'checkbox') {
        body[input.name] = input.checked;
      } else if (input.value === '') {
        continue;
      } else if (input.dataset.type === 'list') {
        body[input.name] = input.value.split(/[\n,]+/).map((v) => v.trim()).filter(Boolean);
      } else {
        body[input.name] = input.type === 'number' ? Number(input.value) : input.value;
      }
    }
    return body;
  }

  function buttonBody(button) {
    const body = {};
    let any = false;
    for (const [key, value] of Object.entries(button.dataset)) {
      if (key.startsWith('body') && key.length > 4) {
        body[key.charAt(4).toLowerCase() + key.slice(5)] = value;
        any = true;
      }
    }
    return any ? body : undefined;
  }

  async function run(el, body) {
    if (el.dataset.confirm && !confirm(el.dataset.confirm)) return;
    const control = el.tagName === 'FORM' ? el.querySelector('[type=submit]') : el;
    if (control) control.disabled = true;
    try {
      after(el, await call(el.dataset.api, el.dataset.url, body));
    } catch (err) {
      say(err.message, 'error');
    } finally {
      if (control) control.disabled = false;
    }
  }

  document.addEventListener('submit', (e) => {
    const form = e.target.closest('form[data-api]');
    if (!form) return;
    e.preventDefault();
    run(form, formBody(form));
  });

  document.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-api]');
    if (!button) return;
    e.preventDefault();
    run(button, buttonBody(button));
  });

  // A live list of events from an SSE stream, newest on top, capped so a busy stream cannot grow the page.
  window.rbFeed = function rbFeed(list, url, state, onFirst) {
    const max = 100;
    const source = new EventSource(url, { withCredentials: true });
    source.addEventListener('open', () => { if (state) state.textContent = 'live'; });
    source.addEventListener('error', () => { if (state) state.textContent = 'reconnecting…'; });
    source.addEventListener('log', (msg) => {
      let e;
      try { e = JSON.parse(msg.data); } catch (ignored) { return; }
      const li = document.createElement('li');
      const time = document.createElement('span');
      time.className = 'at';
      time.textContent = String(e['@timestamp'] || '').replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
      const proto = document.createElement('span');
      proto.className = 'badge proto';
      proto.textContent = e['network.protocol'] || e['service.name'] || '';
      const who = document.createElement('span');
      who.className = 'mono';
      who.textContent = e['source.ip'] || '';
      const text = document.createElement('span');
      text.className = 'msg';
      text.textContent = e.message || '';
      li.append(time, proto, who, text);
      list.prepend(li);
      while (list.children.length > max) list.lastElementChild.remove();
      if (onFirst) { onFirst(); onFirst = null; }
    });
    return source;
  };

  // Reply buttons in a room fill the composer's reply_to.
  document.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-reply]');
    if (!b) return;
    const to = document.getElementById('reply-to');
    const note = document.getElementById('replying');
    if (!to) return;
    to.value = b.dataset.reply;
    note.textContent = 'Replying to ' + (b.dataset.replyText || 'a message');
    note.hidden = false;
    document.querySelector('#composer textarea').focus();
  });

  document.addEventListener('DOMContentLoaded', () => {
    // A region that reloads itself when its SSE stream says the data changed (a room's files).
    document.querySelectorAll('[data-live]').forEach((region) => {
      const state = () => document.getElementById('room-live');
      const source = new EventSource(region.dataset.live, { withCredentials: true });
      source.addEventListener('open', () => { if (state()) state().textContent = 'live'; });
      source.addEventListener('error', () => { if (state()) state().textContent = 'reconnecting…'; });
      source.addEventListener('changed', () => htmx.trigger(region, 'refresh'));
    });
    const feed = document.getElementById('live-feed');
    if (feed) {
      const empty = document.getElementById('feed-empty');
      window.rbFeed(feed, feed.dataset.src, document.getElementById('feed-state'), () => { if (empty) empty.hidden = true; });
    }
  });
})();
