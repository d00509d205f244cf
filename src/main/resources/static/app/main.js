// The web app's entry: finishes or starts the sign-in, then shows what the signed-in person's role
// is for — the ward for nurses and clinicians, their own record for patients.

import { session, signIn, finishSignIn, signOut } from './auth.js';
import { el } from './dom.js';
import { AlarmBoard } from './alarms.js';
import { wardView } from './ward.js';
import { patientView } from './patient.js';
import { portalView } from './portal.js';
import { adminView } from './admin.js';
import { visitView } from './visit.js';

const main = document.getElementById('main');
const announcer = document.getElementById('announcer');
let stopView = () => {};
let board = null;

/** A message at the top of the page; errors stay until dismissed, notices go by themselves. */
function showMessage(text, kind = 'error') {
  const note = el('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    text, el('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => note.remove() }, '×'));
  document.body.prepend(note);
  if (kind !== 'error') setTimeout(() => note.remove(), 4000);
}

function chime() {
  if (localStorage.getItem('vigil.sound') !== 'on') return;
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  tone.frequency.value = 880;
  tone.connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.25);
}

function header(me) {
  const who = document.getElementById('who');
  const sound = el('button', { type: 'button', class: 'secondary', 'aria-pressed': String(localStorage.getItem('vigil.sound') === 'on'),
    onclick: () => {
      const on = localStorage.getItem('vigil.sound') !== 'on';
      localStorage.setItem('vigil.sound', on ? 'on' : 'off');
      sound.setAttribute('aria-pressed', String(on));
    } }, 'Alarm sound');
  who.replaceChildren(...[
    el('span', { class: 'user' }, `${me.user}${me.role ? ` (${me.role})` : ''}`),
    me.role === 'nurse' || me.role === 'clinician' ? sound : null,
    el('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out')].filter(Boolean));
}

async function route() {
  const me = session();
  stopView();
  stopView = () => {};
  const [, page, id] = (location.hash || '#/').split('/');
  try {
    if (page === 'visit' && id && me.role !== 'admin' && me.role !== 'integration') {
      stopView = await visitView(main, decodeURIComponent(id), me, showMessage);
    } else if (me.role === 'patient') {
      stopView = await portalView(main, me.patient, showMessage);
    } else if (me.role === 'admin' || me.role === 'integration') {
      stopView = await adminView(main, me.role, page === 'admin' ? id : '', showMessage);
    } else if (page === 'patient' && id) {
      stopView = await patientView(main, decodeURIComponent(id), board, showMessage);
    } else {
      stopView = await wardView(main, board, showMessage);
    }
    // a new page takes the keyboard focus, unless the user already went into it while it loaded:
    // moving focus then would carry their typing away from the field they are in
    if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
  } catch (e) {
    main.replaceChildren(el('h1', {}, 'Something went wrong'), el('p', {}, e.message));
  }
}

async function start() {
  if (location.pathname === '/app/callback') {
    try {
      await finishSignIn();
    } catch (e) {
      main.replaceChildren(el('h1', {}, 'Sign-in did not finish'), el('p', {}, e.message),
        el('button', { type: 'button', onclick: signIn }, 'Sign in again'));
      return;
    }
  }
  const me = session();
  if (!me) {
    await signIn();
    return;
  }
  header(me);
  if (me.role === 'nurse' || me.role === 'clinician') {
    board = new AlarmBoard();
    board.announce = (alarm) => {
      announcer.textContent = `High priority alarm: ${alarm.summary}`;
      chime();
    };
    await board.load().catch((e) => showMessage(`Alarms could not be loaded: ${e.message}`));
    board.start();
  }
  window.addEventListener('hashchange', route);
  await route();
}

start();
