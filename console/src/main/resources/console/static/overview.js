// The overview's chart: connections per protocol, stacked, drawn with uPlot from the timeline JSON.
(() => {
  'use strict';
  const COLOURS = { ftp: '#d97706', telnet: '#7c3aed', smtp: '#0891b2', http: '#16a34a', ssh: '#dc2626', other: '#64748b' };

  function draw(el, data) {
    const protocols = Object.keys(data.series);
    if (!data.total) {
      document.getElementById('attacks-empty').hidden = false;
    }
    // Stacked: each series is drawn as the running sum, the top one first so the lower ones paint over it.
    const sums = [];
    let running = data.starts.map(() => 0);
    for (const p of protocols) {
      running = running.map((v, i) => v + data.series[p][i]);
      sums.push(running);
    }
    const order = protocols.map((p, i) => i).reverse();
    const series = [{}].concat(order.map((i) => ({
      label: protocols[i],
      stroke: COLOURS[protocols[i]] || '#334155',
      fill: (COLOURS[protocols[i]] || '#334155') + '99',
      width: 1,
      value: (u, v, si, idx) => idx == null ? '' : String(data.series[protocols[i]][idx]),
    })));
    const values = [data.starts].concat(order.map((i) => sums[i]));
    const width = Math.max(320, el.clientWidth);
    // eslint-disable-next-line no-new
    new uPlot({ width, height: 260, series, axes: [{}, { label: 'connections' }], scales: { x: { time: true } } }, values, el);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    const el = document.getElementById('attacks-chart');
    if (!el || typeof uPlot === 'undefined') return;
    try {
      const res = await fetch(el.dataset.src, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      draw(el, await res.json());
    } catch (err) {
      el.textContent = 'The chart data could not be loaded (' + err.message + ').';
    }
  });
})();
