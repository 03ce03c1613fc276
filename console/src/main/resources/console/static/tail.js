// Live tail on the logs page: the search form's keyword filters, streamed from the log platform's SSE endpoint.
(() => {
  'use strict';
  const FILTERS = ['service', 'level', 'sensor', 'source_ip', 'session_id'];
  let source = null;

  document.addEventListener('DOMContentLoaded', () => {
    const toggle = document.getElementById('tail-toggle');
    const form = document.getElementById('log-filters');
    const panel = document.getElementById('live');
    const list = document.getElementById('tail-feed');
    const state = document.getElementById('tail-state');
    if (!toggle || !form) return;
    toggle.addEventListener('click', () => {
      if (source) {
        source.close();
        source = null;
        toggle.setAttribute('aria-pressed', 'false');
        toggle.textContent = 'Live tail';
        state.textContent = 'stopped';
        return;
      }
      const params = new URLSearchParams();
      for (const name of FILTERS) {
        const v = form.elements[name] && form.elements[name].value.trim();
        if (v) params.set(name, v);
      }
      list.replaceChildren();
      panel.hidden = false;
      state.textContent = 'connecting…';
      source = window.rbFeed(list, '/api/logs/tail?' + params.toString(), state);
      toggle.setAttribute('aria-pressed', 'true');
      toggle.textContent = 'Stop tail';
    });
  });
})();
