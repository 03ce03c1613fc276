// The assistant's chat page: threads with unread counts, a thread's tree, the composer, and the live stream
// (replies token by token, typing, new threads) over the assistant's API. All text goes in as textContent.
(() => {
  'use strict';
  const app = document.getElementById('chat-app');
  if (!app) return;
  const cid = app.dataset.conversation;
  const me = app.dataset.me;
  const names = JSON.parse(app.dataset.names || '{}');
  const threadList = document.getElementById('thread-list');
  const view = document.getElementById('thread-view');
  const composer = document.getElementById('chat-composer');
  const stop = document.getElementById('stop');
  const target = document.getElementById('reply-target');
  const typing = document.getElementById('typing');
  let root = null;        // the open thread
  let replyTo = null;     // the message the composer answers (null = new thread)
  let running = null;     // the streaming reply the stop button cancels
  let typingTimer = null;
  let lastTyping = 0;

  const csrf = () => {
    const m = document.cookie.match(/(?:^|;\s*)rb_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
  };
  async function api(method, url, body) {
    const res = await fetch(url, {
      method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-TOKEN': csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : {};
    if (res.status === 404) leave(); // the conversation was deleted, or we were removed from it
    if (!res.ok) throw new Error(data.detail || data.message || data.title || ('HTTP ' + res.status));
    return data;
  }
  let leaving = false; // this page is being left: no more requests, no more heartbeats
  function leave() {
    if (leaving) return;
    leaving = true;
    window.location.assign('/chat');
  }
  // For calls nobody awaits: a failure is shown, not thrown into the void.
  const quietly = (promise) => promise.catch((err) => {
    if (!leaving) document.getElementById('chat-live').textContent = err.message;
  });
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // A message's node in the open thread, if it is shown.
  const shown = (id) => view.querySelector('li[data-id="' + CSS.escape(id) + '"]');
  const who = (m) => m.role === 'assistant' ? 'assistant' : (names[m.author_user_id] || m.author_user_id || m.role);

  async function loadThreads() {
    const [threads, unread] = await Promise.all([
      api('GET', '/api/conversations/' + cid + '/threads?limit=100'),
      api('GET', '/api/conversations/' + cid + '/unread'),
    ]);
    const counts = {};
    unread.threads.forEach((t) => { counts[t.root_id] = t.unread; });
    threadList.replaceChildren();
    document.getElementById('no-threads').hidden = threads.threads.length > 0;
    threads.threads.forEach((t) => {
      const li = el('li');
      const b = el('button', 'link thread-link' + (t.root_id === root ? ' current' : ''), t.root_excerpt || '(empty)');
      b.type = 'button';
      b.dataset.root = t.root_id;
      b.addEventListener('click', () => quietly(openThread(t.root_id)));
      li.append(b);
      if (counts[t.root_id] && t.root_id !== root) li.append(' ', el('span', 'badge unread', String(counts[t.root_id])));
      li.append(el('div', 'hint', t.message_count + ' messages'));
      threadList.append(li);
    });
  }

  // Search: matching messages, newest first; choosing one opens its thread at that message.
  const searchForm = document.getElementById('thread-search');
  const results = document.getElementById('search-results');
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = searchForm.elements.q.value.trim();
    if (q.length < 2) {
      results.hidden = true;
      return;
    }
    quietly(api('GET', '/api/conversations/' + cid + '/search?limit=50&q=' + encodeURIComponent(q)).then((found) => {
      results.replaceChildren();
      results.append(el('li', 'hint', found.messages.length
        ? found.messages.length + (found.messages.length === 1 ? ' message' : ' messages') + ' (newest first)'
        : 'No message contains “' + q + '”.'));
      found.messages.forEach((m) => {
        const li = el('li');
        const b = el('button', 'link search-hit', m.excerpt);
        b.type = 'button';
        b.addEventListener('click', () => quietly(openThread(m.root_id).then(() => {
          const hit = shown(m.id);
          if (hit) {
            hit.classList.add('found');
            hit.scrollIntoView({ block: 'center' });
          }
        })));
        li.append(b, el('div', 'hint', who(m) + ' · ' + new Date(m.created_at).toLocaleString()));
        results.append(li);
      });
      results.hidden = false;
    }));
  });
  searchForm.elements.q.addEventListener('input', () => { if (!searchForm.elements.q.value) results.hidden = true; });

  // Shows the thread of a message just posted, with its reply (which streams in as it is written).
  async function follow(posted, replyDepth) {
    running = posted.reply_id || null;
    if (stop) stop.hidden = !running;
    await openThread(posted.root_id);
    if (running && !shown(running)) {
      document.getElementById('tree').append(messageNode({ id: running, role: 'assistant', content: '', depth: replyDepth }));
    }
  }

  function messageNode(m) {
    const li = el('li', 'cmsg role-' + m.role);
    li.dataset.id = m.id;
    li.style.marginLeft = Math.min(m.depth, 12) * 14 + 'px';
    const meta = el('div', 'meta');
    meta.append(el('strong', null, who(m)));
    if (m.role === 'system') meta.append(' ', el('span', 'badge', 'system'));
    if (m.finish_reason && m.finish_reason !== 'stop') meta.append(' ', el('span', 'badge warn', m.finish_reason));
    if (m.edited_at) meta.append(' ', el('span', 'hint', '(edited)'));
    if (m.deleted_at) meta.append(' ', el('span', 'hint', '(deleted)'));
    const body = el('div', 'body');
    // Answers are Markdown (rendered into nodes, never parsed as HTML); people's messages are shown as typed.
    if (m.role === 'assistant') {
      body.classList.add('md');
      body.dataset.raw = m.content || '';
      body.append(window.RustbucketMarkdown.render(body.dataset.raw));
    } else {
      body.textContent = m.content;
    }
    li.append(meta, body);
    if (composer) {
      const actions = el('div', 'msg-actions');
      const reply = el('button', 'link', 'Reply');
      reply.type = 'button';
      reply.addEventListener('click', () => setReply(m.id, who(m)));
      actions.append(reply);
      if (m.role === 'assistant' && m.parent_id) {
        const again = el('button', 'link', 'Regenerate');
        again.type = 'button';
        again.title = 'Ask again: a new answer next to this one';
        again.addEventListener('click', () => quietly(api('POST', '/api/messages/' + m.id + '/regenerate').then((r) => follow(r, r.depth))));
        actions.append(again);
      }
      const mine = m.author_user_id === me;
      const moderator = app.dataset.role === 'owner' || app.dataset.role === 'admin';
      const action = (label, cls, run) => {
        const b = el('button', cls, label);
        b.type = 'button';
        b.addEventListener('click', () => quietly(run().then(() => openThread(root))));
        actions.append(b);
      };
      if (mine && !m.deleted_at && m.role !== 'assistant') {
        action('Edit', 'link', async () => {
          const text = window.prompt('Edit message', body.textContent);
          if (text !== null) await api('POST', '/api/messages/' + m.id + '/edit', { content: text });
        });
      }
      if ((mine || moderator) && !m.deleted_at) {
        action('Delete', 'link danger', async () => {
          if (window.confirm('Delete this message?')) await api('POST', '/api/messages/' + m.id + '/delete');
        });
      }
      if ((mine || moderator) && m.deleted_at) {
        action('Restore', 'link', () => api('POST', '/api/messages/' + m.id + '/restore'));
      }
      li.append(actions);
    }
    return li;
  }

  // Loads of the open thread may overlap (events come faster than a long tree loads): only the newest one shows,
  // and while one is in flight the page cannot tell what it already shows.
  let threadLoads = 0;
  let threadLoading = 0;
  async function openThread(id) {
    root = id;
    const mine = ++threadLoads;
    threadLoading++;
    const list = el('ol', 'plain ctree');
    list.id = 'tree';
    let cursor = '';
    let last = null;
    try {
      do {
        const page = await api('GET', '/api/threads/' + id + '/tree?limit=500' + (cursor ? '&cursor_path=' + encodeURIComponent(cursor) : ''));
        page.messages.forEach((m) => { list.append(messageNode(m)); last = m; });
        cursor = page.next_cursor;
      } while (cursor);
    } finally {
      threadLoading--;
    }
    if (mine !== threadLoads) return; // a newer load shows the thread
    view.replaceChildren(list);
    if (last) setReply(last.id, who(last));
    await api('POST', '/api/threads/' + id + '/read');
    await loadThreads();
  }

  function setReply(id, name) {
    replyTo = id;
    if (target) target.textContent = id ? 'Replying to ' + name : 'New thread';
  }

  function onDelta(p) {
    if (p.root_id !== root) return;
    let li = shown(p.message_id);
    if (!li) {
      li = messageNode({ id: p.message_id, role: 'assistant', content: '', depth: p.depth });
      document.getElementById('tree')?.append(li);
    }
    // Seen from its first token (which carries the role): this page has the whole reply, no need to fetch it.
    if (p.choices[0].delta.role) li.dataset.whole = '1';
    const body = li.querySelector('.body');
    body.dataset.raw = (body.dataset.raw || '') + (p.choices[0].delta.content || '');
    li.classList.add('streaming');
    // Tokens come faster than frames: render once per frame, from the whole text so far.
    if (!body.dataset.pending) {
      body.dataset.pending = '1';
      requestAnimationFrame(() => {
        delete body.dataset.pending;
        body.replaceChildren(window.RustbucketMarkdown.render(body.dataset.raw));
      });
    }
  }

  function onDone(p) {
    if (running === p.message_id) { running = null; if (stop) stop.hidden = true; }
    const li = shown(p.message_id);
    if (li) {
      li.classList.remove('streaming');
      li.dataset.finish = p.finish_reason;
      if (p.finish_reason !== 'stop') li.querySelector('.meta').append(' ', el('span', 'badge warn', p.finish_reason));
      setReply(p.message_id, 'assistant');
    }
  }

  const source = new EventSource('/api/stream/conversations/' + cid, { withCredentials: true });
  const live = document.getElementById('chat-live');
  source.addEventListener('open', () => { live.textContent = 'live'; });
  source.addEventListener('error', () => { live.textContent = 'reconnecting…'; });
  const payload = (e) => JSON.parse(e.data).payload;
  source.addEventListener('message.delta', (e) => onDelta(payload(e)));
  source.addEventListener('message.done', (e) => onDone(payload(e)));
  // Every member's page hears each activity at once: the thread list is refetched once per burst, spread over a
  // second, and the open thread only when it lacks the message the event names (the id's second part) in full: a
  // reply this page saw from its first token is already shown.
  let threadsTimer = null;
  const refreshThreads = () => {
    if (threadsTimer) return;
    threadsTimer = setTimeout(() => { threadsTimer = null; quietly(loadThreads()); }, 300 + Math.random() * 700);
  };
  source.addEventListener('thread.activity', (e) => {
    const p = payload(e);
    const mid = (e.lastEventId || '').split(':')[1];
    const li = mid && mid !== '-' && shown(mid);
    const whole = li && li.dataset.whole === '1' && threadLoading === 0;
    if (p.root_id === root && !running && !whole) quietly(openThread(root)); else refreshThreads();
  });
  source.addEventListener('thread.new', () => refreshThreads());
  source.addEventListener('typing.update', (e) => {
    const p = payload(e);
    if (p.user_id === me || p.root_id !== root) return;
    typing.textContent = (names[p.user_id] || 'someone') + ' is typing…';
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typing.hidden = true; }, 6000);
  });

  // Presence: each member's dot follows presence.update (the stream starts with who is there). This page says
  // online while visible, away while hidden, every 30 s (the server calls a silent client offline after 90 s), and
  // offline when it closes.
  const presence = {}; // user id -> the last presence.update payload
  function showPresence(p) {
    const dot = document.querySelector('#member-list li[data-user="' + CSS.escape(p.user_id) + '"] .presence');
    if (!dot) return;
    dot.className = 'presence ' + p.status;
    dot.title = p.status + (p.status === 'online' ? '' : ' · last seen ' + new Date(p.last_seen_at).toLocaleString());
    dot.setAttribute('aria-label', p.status);
  }
  source.addEventListener('presence.update', (e) => {
    const p = payload(e);
    presence[p.user_id] = p;
    showPresence(p);
  });
  // Members come and go: the server renders the list (names, roles); take it from a fresh copy of this page.
  source.addEventListener('membership.changed', (e) => {
    const change = payload(e);
    if (change.action === 'removed' && change.user_id === me) {
      leave(); // removed, or the conversation was deleted: nothing left to show here
      return;
    }
    clearTimeout(membersTimer); // a deletion removes everyone at once: wait for the burst (and our own removal)
    membersTimer = setTimeout(refreshMembers, 300);
  });
  let membersTimer = null;
  async function refreshMembers() {
    if (leaving) return;
    try {
      const res = await fetch(window.location.pathname, { credentials: 'same-origin' });
      if (!res.ok) return;
      const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('member-list');
      if (!fresh) return;
      document.getElementById('member-list').replaceChildren(...Array.from(fresh.childNodes, (n) => document.importNode(n, true)));
      Object.values(presence).forEach(showPresence);
    } catch (err) { /* the next change tries again */ }
  }
  let lastStatus = null;
  const heartbeat = (status) => {
    lastStatus = status;
    return fetch('/api/presence/heartbeat', {
      method: 'POST', credentials: 'same-origin', keepalive: true,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': csrf() },
      body: JSON.stringify({ status }),
    }).catch(() => {});
  };
  const visibleStatus = () => (document.visibilityState === 'visible' ? 'online' : 'away');
  heartbeat(visibleStatus());
  setInterval(() => { if (!leaving) heartbeat(visibleStatus()); }, 30000);
  // A page being left fires pagehide and then visibilitychange: the offline must be the last word.
  document.addEventListener('visibilitychange', () => {
    if (!leaving && visibleStatus() !== lastStatus) heartbeat(visibleStatus());
  });
  window.addEventListener('pagehide', () => { leaving = true; heartbeat('offline'); });
  window.addEventListener('pageshow', (e) => { if (e.persisted) { leaving = false; heartbeat(visibleStatus()); } });

  if (composer) {
    const text = composer.elements.content;
    composer.addEventListener('submit', async (e) => {
      e.preventDefault();
      const content = text.value;
      if (!content.trim()) return;
      const send = composer.querySelector('[type=submit]');
      send.disabled = true;
      try {
        const posted = replyTo
          ? await api('POST', '/api/messages/' + replyTo + '/reply', { content })
          : await api('POST', '/api/threads/' + cid + '/root', { content });
        text.value = '';
        await follow(posted, posted.depth + 1);
      } catch (err) {
        window.alert(err.message);
      } finally {
        send.disabled = false;
      }
    });
    text.addEventListener('input', () => {
      const now = Date.now();
      if (root && now - lastTyping > 3000) {
        lastTyping = now;
        api('POST', '/api/typing', { conversation_id: cid, root_id: root }).catch(() => {});
      }
    });
    document.getElementById('new-thread').addEventListener('click', () => { setReply(null); text.focus(); });
    stop.addEventListener('click', async () => {
      if (running) await api('POST', '/api/messages/' + running + '/cancel');
    });
  }

  quietly(loadThreads().then(() => {
    const first = threadList.querySelector('button[data-root]');
    if (first) return openThread(first.dataset.root);
    return undefined;
  }));
})();
