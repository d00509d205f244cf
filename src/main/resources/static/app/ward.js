// The ward overview: a tile per patient, sickest first, kept live from the ward stream and the
// alarm board; beside it the alarm panel.

import { get, follow } from './api.js';
import { el } from './dom.js';
import { alarmPanel } from './alarms.js';
import { VITALS, BAND_LABEL, STALE_AFTER_MS, format, age } from './vitals.js';

const TILE_VITALS = ['8867-4', '59408-5', '9279-1', 'bp', '8310-5', '67775-7'];
const PRIORITY_RANK = { high: 3, medium: 2, low: 1 };
const BAND_RANK = { high: 3, medium: 2, 'low-medium': 1, low: 0 };

function sickestFirst(a, b, board) {
  const pa = PRIORITY_RANK[board.summaryOf(a.patientId).highestPriority] || 0;
  const pb = PRIORITY_RANK[board.summaryOf(b.patientId).highestPriority] || 0;
  if (pa !== pb) return pb - pa;
  const ba = a.news2 ? BAND_RANK[a.news2.band] : -1;
  const bb = b.news2 ? BAND_RANK[b.news2.band] : -1;
  if (ba !== bb) return bb - ba;
  const ta = a.news2 ? a.news2.total : -1;
  const tb = b.news2 ? b.news2.total : -1;
  if (ta !== tb) return tb - ta;
  return `${a.ward} ${a.bed}`.localeCompare(`${b.ward} ${b.bed}`, undefined, { numeric: true });
}

function vitalCell(tile, key) {
  const byCode = Object.fromEntries(tile.vitals.map((v) => [v.code, v]));
  if (key === 'bp') {
    const sys = byCode['8480-6'];
    const dia = byCode['8462-4'];
    const stale = !sys || Date.now() - new Date(sys.at) > STALE_AFTER_MS;
    return el('div', { class: `vital${stale ? ' stale' : ''}`, 'data-code': 'bp',
      title: sys ? `Blood pressure, ${age(sys.at)}` : 'No blood pressure' },
    el('span', { class: 'label' }, 'BP'),
    el('span', { class: 'value' }, sys ? `${format('8480-6', sys.value)}/${dia ? format('8462-4', dia.value) : '—'}` : '—'));
  }
  const v = byCode[key];
  const stale = !v || Date.now() - new Date(v.at) > STALE_AFTER_MS;
  return el('div', { class: `vital${stale ? ' stale' : ''}`, 'data-code': key,
    title: v ? `${VITALS[key].name}, ${age(v.at)}` : `No ${VITALS[key].name.toLowerCase()}` },
  el('span', { class: 'label' }, VITALS[key].short),
  el('span', { class: 'value' }, v ? format(key, v.value) : '—'));
}

function news2Badge(news2) {
  if (!news2) {
    return el('div', { class: 'news2 news2-none', title: 'No NEWS2 yet' },
      el('span', { class: 'label' }, 'NEWS2'), el('span', { class: 'score' }, '—'));
  }
  const arrow = { up: '↑', down: '↓', same: '→' }[news2.trend] || '';
  const trendWords = { up: 'rising', down: 'falling', same: 'unchanged' }[news2.trend] || '';
  // An incomplete score is a lower bound: shown as "≥ n", never as if it were the patient's score.
  const score = news2.complete ? String(news2.total) : `≥${news2.total}`;
  const title = news2.complete
    ? `NEWS2 ${news2.total}: ${news2.bandDisplay}`
    : `NEWS2 incomplete (at least ${news2.total}): missing ${news2.missing.join(', ')}`;
  // Nor is it coloured by a band it may not be in: an incomplete score is grey until complete.
  return el('div', { class: `news2 ${news2.complete ? `band-${news2.band}` : 'incomplete'}`, title },
    el('span', { class: 'label' }, 'NEWS2'),
    el('span', { class: 'score' }, score),
    el('span', { class: 'band' }, news2.complete ? BAND_LABEL[news2.band] : 'Incomplete'),
    arrow ? el('span', { class: 'trend', 'aria-label': trendWords }, arrow) : null);
}

function tileOf(tile, board) {
  const alarms = board.summaryOf(tile.patientId);
  const deviceOffline = tile.devices.some((d) => !d.online);
  const lowBattery = tile.devices.filter((d) => d.batteryPercent !== null && d.batteryPercent < 20);
  const where = [tile.ward, tile.bed].filter(Boolean).join(' · ');
  const news2Words = tile.news2
    ? `NEWS2 ${tile.news2.complete ? '' : 'at least '}${tile.news2.total} ${BAND_LABEL[tile.news2.band]}`
    : 'no NEWS2';
  return el('li', {
    class: `tile${alarms.highestPriority ? ` alarmed alarmed-${alarms.highestPriority}` : ''}`,
    'data-patient-id': tile.patientId,
  },
  el('a', { class: 'tile-link', href: `#/patient/${encodeURIComponent(tile.patientId)}`,
    'aria-label': `${tile.bed || ''} ${tile.name}, ${news2Words}${alarms.open ? `, ${alarms.open} open alarm${alarms.open > 1 ? 's' : ''}` : ''}` },
  el('div', { class: 'tile-head' },
    el('span', { class: 'bed' }, where || 'Not on a ward'),
    el('span', { class: 'name' }, tile.name)),
  el('div', { class: 'tile-body' },
    news2Badge(tile.news2),
    el('div', { class: 'vitals' }, ...TILE_VITALS.map((key) => vitalCell(tile, key)))),
  el('div', { class: 'tile-foot' },
    alarms.open
      ? el('span', { class: `alarm-count priority-${alarms.highestPriority}` },
        `${alarms.open} alarm${alarms.open > 1 ? 's' : ''}${alarms.active ? `, ${alarms.active} unacknowledged` : ''}`)
      : el('span', { class: 'quiet' }, 'No alarms'),
    tile.devices.length === 0
      ? el('span', { class: 'device quiet' }, 'No device')
      : el('span', { class: `device${deviceOffline ? ' offline' : ''}` },
        deviceOffline ? 'Device offline' : 'Devices online',
        lowBattery.length ? `, battery ${Math.round(lowBattery[0].batteryPercent)}%` : ''))));
}

/** Renders the ward overview into `main`; returns a function that stops its live feeds. */
export async function wardView(main, board, showError) {
  const tiles = new Map();
  const grid = el('ol', { class: 'tiles', 'aria-label': 'Patients, sickest first' });
  const panel = el('aside', { class: 'alarm-panel', 'aria-label': 'Alarm panel' });
  const status = el('p', { class: 'stream-state quiet', role: 'status' }, 'Connecting…');
  main.replaceChildren(
    el('div', { class: 'ward' },
      el('section', { class: 'ward-main', 'aria-labelledby': 'ward-heading' },
        el('div', { class: 'section-head' }, el('h1', { id: 'ward-heading' }, 'Ward overview'), status),
        grid),
      panel));

  const ward = await get('/api/v1/ward');
  for (const tile of ward.patients) tiles.set(tile.patientId, tile);
  const nameOf = (id) => tiles.get(id)?.name || id;

  let scheduled = false;
  let firstRender = true;
  function render() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const sorted = [...tiles.values()].sort((a, b) => sickestFirst(a, b, board));
      // a redraw must not take the keyboard's place away: the focused tile keeps the focus
      const focused = document.activeElement?.closest?.('li.tile')?.dataset.patientId;
      grid.replaceChildren(...(sorted.length
        ? sorted.map((t) => tileOf(t, board))
        : [el('li', { class: 'quiet' }, 'You look after no patients at the moment.')]));
      if (focused) {
        grid.querySelector(`li.tile[data-patient-id="${CSS.escape(focused)}"] a.tile-link`)?.focus({ preventScroll: true });
      }
      if (firstRender) {
        // How long the ward took to show, from the page's start: measured by the browser tests.
        performance.mark('vigil-ward-rendered', { detail: { patients: sorted.length } });
        firstRender = false;
      }
    });
  }
  render();
  const stopPanel = alarmPanel(board, panel, nameOf, showError);
  const stopBoard = board.onChange(render);

  const stopStream = follow('/api/v1/ward/stream', (name, data) => {
    const tile = tiles.get(data.patientId);
    if (!tile) return;
    if (name === 'vitals') {
      const byCode = new Map(tile.vitals.map((v) => [v.code, v]));
      for (const v of data.vitals) byCode.set(v.code, v);
      tile.vitals = [...byCode.values()];
    } else if (name === 'news2') {
      tile.news2 = data.news2;
    }
    render();
  }, (state) => {
    status.textContent = state === 'live' ? 'Live' : 'Reconnecting…';
    status.dataset.state = state;
  });
  // stale markers age even when nothing arrives
  const ticker = setInterval(render, 30_000);
  return () => { stopStream(); stopPanel(); stopBoard(); clearInterval(ticker); };
}
