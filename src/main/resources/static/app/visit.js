// The video visit, for both sides: the patient waits in the waiting room until the clinician admits
// them; then audio and video go browser to browser (WebRTC), Vigil relaying only the signalling over
// /api/v1/visits/signal. Mute and camera toggles, chat, a connection-quality line from getStats(),
// and — on the clinician's side — the patient's live readings and heart-rate trend beside the video,
// a "take a reading now" button and the note that ends the visit. Nothing is recorded.

import { get, post, put } from './api.js';
import { accessToken } from './auth.js';
import { el } from './dom.js';
import { chart } from './charts.js';
import { LOINC, VITALS, format } from './vitals.js';

const NOTICE = {
  reminder: 'Your video visit starts soon.',
  invitation: 'You have been invited to a video visit.',
  'take-reading': 'Your clinician asks you to take a reading now.',
};

/** "Call the patient now", from an alarm: books a visit for now and opens it. */
export async function callPatient(alarmId, onError) {
  try {
    const placed = await post(`/api/v1/alarms/${encodeURIComponent(alarmId)}/call-patient`, {});
    location.hash = `#/visit/${encodeURIComponent(placed.appointment)}`;
  } catch (e) {
    onError(`Could not call the patient: ${e.message}`);
  }
}

/**
 * A patient's video visits: the upcoming ones with a way in and a way to cancel, what the portal
 * has to tell them (reminders, invitations, requests for a reading), and the free slots of their
 * care team to book.
 */
export function visitsPanel(patientId, { asPatient, showMessage }) {
  const section = el('section', { class: 'visits', 'aria-labelledby': 'visits-heading' },
    el('h2', { id: 'visits-heading' }, asPatient ? 'Your video visits' : 'Video visits'));
  const list = el('ul', { class: 'visit-list' });
  const notices = el('ul', { class: 'visit-notices', 'aria-live': 'polite' });
  const slots = el('ul', { class: 'visit-slots' });
  section.append(notices, list);
  if (asPatient) section.append(el('h3', {}, 'Book a video visit'), slots);

  async function load() {
    const bundle = await get(`/fhir/Appointment?patient=${encodeURIComponent(patientId)}&_count=20`).catch(() => null);
    const upcoming = (bundle?.entry || []).map((e) => e.resource)
      .filter((a) => (a.status === 'booked' || a.status === 'arrived') && new Date(a.end) > new Date())
      .sort((a, b) => new Date(a.start) - new Date(b.start));
    list.replaceChildren(...(upcoming.length ? upcoming.map((a) => el('li', { 'data-appointment-id': a.id },
      `${new Date(a.start).toLocaleString()} – ${new Date(a.end).toLocaleTimeString()} `,
      el('a', { href: `#/visit/${encodeURIComponent(a.id)}`, class: 'join' }, 'Join'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          await put(`/fhir/Appointment/${encodeURIComponent(a.id)}`, { ...a, status: 'cancelled' }, 'application/fhir+json');
          load();
        } catch (e) { showMessage(`Could not cancel: ${e.message}`); }
      } }, 'Cancel'))) : [el('li', { class: 'quiet' }, 'No video visits booked.')]));
    const told = await get(`/api/v1/patients/${encodeURIComponent(patientId)}/visit-notices`).catch(() => null);
    notices.replaceChildren(...(told?.notices || []).slice(0, 5).map((n) => el('li', { class: `notice-${n.kind}` },
      `${NOTICE[n.kind] || n.kind} `, el('a', { href: `#/visit/${encodeURIComponent(n.appointmentId)}` }, 'Open the visit'),
      el('span', { class: 'quiet' }, ` (${new Date(n.createdAt).toLocaleString()})`))));
    if (!asPatient) return;
    const free = await get('/fhir/Slot?status=free&_count=10').catch(() => null);
    slots.replaceChildren(...((free?.entry || []).map((e) => e.resource).map((slot) => el('li', {},
      `${new Date(slot.start).toLocaleString()} `,
      el('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          await post('/fhir/Appointment', { resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${slot.id}` }],
            participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }] }, 'application/fhir+json');
          showMessage('Your video visit is booked.', 'notice');
          load();
        } catch (e) { showMessage(`Could not book: ${e.message}`); }
      } }, 'Book')))));
    if (!slots.children.length) slots.append(el('li', { class: 'quiet' }, 'No free times offered at the moment.'));
  }
  load();
  return section;
}

/** Connection quality from the selected candidate pair's round-trip time and inbound packet loss. */
async function quality(pc) {
  const stats = await pc.getStats();
  let rtt = null;
  let lost = 0;
  let received = 0;
  stats.forEach((r) => {
    if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded' && r.currentRoundTripTime !== undefined) rtt = r.currentRoundTripTime;
    if (r.type === 'inbound-rtp') {
      lost += r.packetsLost || 0;
      received += r.packetsReceived || 0;
    }
  });
  const loss = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
  // thresholds as ITU-T G.114 puts one-way delay (150 ms) and common VoIP guidance on loss (1 %, 5 %)
  const level = rtt === null ? 'unknown' : rtt > 0.3 || loss > 5 ? 'poor' : rtt > 0.15 || loss > 1 ? 'fair' : 'good';
  return { level, rtt, loss };
}

export async function visitView(main, appointmentId, me, showMessage) {
  const clinician = me.role === 'nurse' || me.role === 'clinician';
  const status = el('p', { id: 'visit-status', role: 'status', 'data-state': 'connecting' }, 'Connecting…');
  const qualityLine = el('p', { id: 'visit-quality', 'data-level': 'unknown' }, 'Connection: —');
  const local = el('video', { id: 'visit-local', autoplay: '', playsinline: '', muted: '' });
  local.muted = true;
  const remote = el('video', { id: 'visit-remote', autoplay: '', playsinline: '' });
  const chatLog = el('ol', { id: 'visit-chat-log', class: 'visit-chat-log', 'aria-live': 'polite' });
  const chatText = el('input', { id: 'visit-chat-text', type: 'text', maxlength: '2000', 'aria-label': 'Message' });
  const readings = el('ul', { id: 'visit-readings', class: 'visit-readings', 'aria-live': 'polite' });
  const trend = el('div', { class: 'visit-trend' });
  const note = el('textarea', { id: 'visit-note', rows: '4', maxlength: '8000', 'aria-label': 'Visit note' });
  const admit = el('button', { type: 'button', id: 'visit-admit', hidden: '' }, 'Admit patient');
  const takeReading = el('button', { type: 'button', id: 'visit-take-reading', class: 'secondary', disabled: '' }, 'Take a reading now');
  const mute = el('button', { type: 'button', id: 'visit-mute', class: 'secondary', 'aria-pressed': 'false' }, 'Mute');
  const camera = el('button', { type: 'button', id: 'visit-camera', class: 'secondary', 'aria-pressed': 'false' }, 'Camera off');
  const end = el('button', { type: 'button', id: 'visit-end' }, clinician ? 'End visit' : 'Leave');

  main.replaceChildren(el('div', { class: 'visit' },
    el('section', { class: 'visit-call', 'aria-labelledby': 'visit-heading' },
      el('h1', { id: 'visit-heading' }, 'Video visit'), status, qualityLine,
      el('div', { class: 'visit-videos' }, remote, local),
      el('div', { class: 'visit-controls' }, mute, camera, admit, clinician ? takeReading : null, end),
      clinician ? el('label', {}, 'Note for the record', note) : null,
      el('h2', {}, 'Chat'), chatLog,
      el('form', { class: 'visit-chat', onsubmit: (e) => {
        e.preventDefault();
        const text = chatText.value.trim();
        if (text) send({ type: 'chat', text });
        chatText.value = '';
      } }, chatText, el('button', { type: 'submit', class: 'secondary' }, 'Send'))),
    el('aside', { class: 'visit-data', 'aria-label': 'Readings during the visit' },
      el('h2', {}, clinician ? 'Patient\u2019s live readings' : 'Your readings'), readings, clinician ? trend : null)));

  let media = null;
  try {
    media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    local.srcObject = media;
  } catch (e) {
    showMessage(`Camera and microphone are not available: ${e.message}`);
  }

  let socket = null;
  let pc = null;
  let pendingCandidates = [];
  let rejoin = null;
  let iceServers = [];
  let ended = false;
  let patientId = null;
  let connections = 0;
  const test = { get pc() { return pc; }, get socket() { return socket; }, get connections() { return connections; } };
  window.vigilVisit = test; // read by the browser tests (connection state, getStats)

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function send(frame) {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  function newConnection() {
    if (pc) pc.close();
    connections += 1;
    pendingCandidates = [];
    pc = new RTCPeerConnection({ iceServers: iceServers.map((s) => ({ urls: s.urls, username: s.username ?? undefined, credential: s.credential ?? undefined })) });
    if (media) for (const track of media.getTracks()) pc.addTrack(track, media);
    pc.onicecandidate = (e) => { if (e.candidate) send({ type: 'candidate', candidate: e.candidate.toJSON() }); };
    pc.ontrack = (e) => { remote.srcObject = e.streams[0]; };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') setStatus('connected', 'In the call');
      else if (pc.connectionState === 'failed' || pc.connectionState === 'disconnected') setStatus('reconnecting', 'The connection is unsteady…');
    };
    return pc;
  }

  async function offer() {
    const connection = newConnection();
    await connection.setLocalDescription(await connection.createOffer());
    send({ type: 'offer', sdp: connection.localDescription.toJSON() });
  }

  async function flushCandidates() {
    for (const c of pendingCandidates) await pc.addIceCandidate(c).catch(() => {});
    pendingCandidates = [];
  }

  function addReading(r) {
    const vital = VITALS[r.code];
    readings.prepend(el('li', { 'data-code': r.code, 'data-value': String(r.value) },
      `${vital ? vital.name : r.code}: ${format(r.code, r.value)} ${vital ? vital.unit : r.unit}`,
      el('span', { class: 'quiet' }, ` at ${new Date(r.at).toLocaleTimeString()}`)));
    while (readings.children.length > 30) readings.lastChild.remove();
  }

  /** The last hour of heart rate and SpO2, drawn as the patient view draws them. */
  async function drawTrend() {
    if (!clinician || !patientId) return;
    const from = new Date(Date.now() - 3600_000);
    const figures = [];
    for (const code of ['8867-4', '59408-5']) {
      const query = new URLSearchParams({ patient: patientId, code: `${LOINC}|${code}`, date: `ge${from.toISOString()}`, _sort: '-date', _count: '1000' });
      const bundle = await get(`/fhir/Observation?${query}`).catch(() => null);
      const points = (bundle?.entry || []).map((e) => e.resource).filter((o) => o.valueQuantity).reverse()
        .map((o) => [new Date(o.effectiveDateTime).getTime() / 1000, o.valueQuantity.value]);
      const figure = el('figure', { class: 'chart', 'data-code': code }, el('figcaption', {}, `${VITALS[code].name}, last hour`));
      figures.push(figure);
      trend.replaceChildren(...figures);
      if (points.length) chart(figure, { title: '', unit: VITALS[code].unit, series: [{ label: VITALS[code].short, points }], from: from.getTime() / 1000, to: Date.now() / 1000 });
      else figure.append(el('p', { class: 'quiet' }, `No ${VITALS[code].name.toLowerCase()} in the last hour.`));
    }
  }

  async function onFrame(frame) {
    switch (frame.type) {
      case 'joined':
        rejoin = frame.rejoin;
        iceServers = frame.iceServers || [];
        patientId = frame.patient;
        drawTrend();
        if (frame.admitted) setStatus('admitted', 'Reconnecting the call…');
        else if (clinician) setStatus('waiting-for-patient', 'Waiting for the patient to arrive');
        break;
      case 'waiting':
        setStatus('waiting', 'You are in the waiting room. The clinician will let you in.');
        break;
      case 'patient-waiting':
        admit.hidden = false;
        setStatus('patient-waiting', 'The patient is in the waiting room');
        break;
      case 'admitted':
        admit.hidden = true;
        takeReading.disabled = false;
        setStatus('admitted', 'Connecting the call…');
        if (clinician) await offer();
        break;
      case 'peer-rejoined':
        if (clinician) await offer();
        break;
      case 'peer-left':
        setStatus('peer-left', clinician ? 'The patient has left; they can come back' : 'The clinician has left; please wait');
        break;
      case 'offer':
        newConnection();
        await pc.setRemoteDescription(frame.sdp);
        await flushCandidates();
        await pc.setLocalDescription(await pc.createAnswer());
        send({ type: 'answer', sdp: pc.localDescription.toJSON() });
        break;
      case 'answer':
        await pc.setRemoteDescription(frame.sdp);
        await flushCandidates();
        break;
      case 'candidate':
        if (pc?.remoteDescription) await pc.addIceCandidate(frame.candidate).catch(() => {});
        else pendingCandidates.push(frame.candidate);
        break;
      case 'chat':
        chatLog.append(el('li', { class: `chat-${frame.from}` }, el('strong', {}, frame.from === 'clinician' ? 'Clinician: ' : 'Patient: '), frame.text));
        break;
      case 'reading-requested':
        showMessage(frame.via === 'device'
          ? 'The device has been asked to take a reading now.'
          : clinician ? 'The patient has been asked in their portal to take a reading now.' : 'Please take a reading now with your device.', 'notice');
        break;
      case 'reading':
        addReading(frame);
        break;
      case 'ended':
        ended = true;
        setStatus('ended', 'The visit has ended');
        if (pc) pc.close();
        break;
      case 'error':
        if (['not-participant', 'unauthenticated', 'link-used', 'link-expired', 'link-unknown', 'link-not-yours', 'visit-closed'].includes(frame.code)) {
          ended = true;
          setStatus('refused', frame.reason);
        } else {
          showMessage(frame.reason);
        }
        break;
      default:
        break;
    }
  }

  async function connect(link) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/visits/signal`);
    socket = ws;
    ws.onopen = async () => ws.send(JSON.stringify({ type: 'join', accessToken: await accessToken(), link }));
    ws.onmessage = (e) => onFrame(JSON.parse(e.data)).catch((err) => showMessage(err.message));
    ws.onclose = () => {
      if (ended || socket !== ws) return;
      // a network blip: back in with the rejoin link, on a fresh connection
      setStatus('reconnecting', 'Reconnecting…');
      setTimeout(() => { if (!ended && rejoin) connect(rejoin); }, 1000);
    };
  }

  mute.onclick = () => {
    const off = mute.getAttribute('aria-pressed') !== 'true';
    media?.getAudioTracks().forEach((t) => { t.enabled = !off; });
    mute.setAttribute('aria-pressed', String(off));
    mute.textContent = off ? 'Unmute' : 'Mute';
  };
  camera.onclick = () => {
    const off = camera.getAttribute('aria-pressed') !== 'true';
    media?.getVideoTracks().forEach((t) => { t.enabled = !off; });
    camera.setAttribute('aria-pressed', String(off));
    camera.textContent = off ? 'Camera on' : 'Camera off';
  };
  admit.onclick = () => send({ type: 'admit' });
  takeReading.onclick = () => send({ type: 'take-reading' });
  end.onclick = () => {
    if (clinician) send({ type: 'end', note: note.value });
    else { ended = true; send({ type: 'leave' }); socket?.close(); setStatus('ended', 'You have left the visit'); }
  };

  const ticker = setInterval(async () => {
    if (!pc || pc.connectionState !== 'connected') return;
    const q = await quality(pc);
    qualityLine.dataset.level = q.level;
    qualityLine.textContent = `Connection: ${q.level}${q.rtt === null ? '' : ` (round trip ${Math.round(q.rtt * 1000)} ms, ${q.loss.toFixed(1)} % lost)`}`;
  }, 2000);

  // the trend follows the call; the newest readings arrive on the socket as they are stored
  const trendTicker = clinician ? setInterval(() => { drawTrend().catch(() => {}); }, 60_000) : null;

  try {
    const link = await post(`/api/v1/appointments/${encodeURIComponent(appointmentId)}/join-link`, {});
    await connect(link.link);
  } catch (e) {
    ended = true;
    setStatus('refused', e.message);
  }

  return () => {
    ended = true;
    clearInterval(ticker);
    if (trendTicker) clearInterval(trendTicker);
    socket?.close();
    pc?.close();
    media?.getTracks().forEach((t) => t.stop());
  };
}
