// A patient's secure message thread with their care team, the same for both sides: the patient in
// the portal, a nurse or clinician in the patient view. Opening it tells the other side their
// messages were read; it looks for new messages while it is open.

import { get, post, download } from './api.js';
import { el } from './dom.js';

const ACCEPTED = 'image/png,image/jpeg,application/pdf';
const REFRESH_MS = 10000;

function when(iso) {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The thread as a section; `asPatient` says whose side the reader is on. Returns the section and a
 * function that stops looking for new messages.
 */
export function messageThread(patientId, { asPatient, showMessage }) {
  const path = `/api/v1/patients/${encodeURIComponent(patientId)}/messages`;
  const list = el('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': 'Messages' });
  const text = el('textarea', { id: 'message-text', name: 'text', rows: '3', maxlength: '4000' });
  const file = el('input', { id: 'message-file', name: 'file', type: 'file', accept: ACCEPTED });
  const send = el('button', { type: 'submit' }, 'Send');
  const form = el('form', { class: 'message-form', onsubmit: async (e) => {
    e.preventDefault();
    if (!text.value.trim() && !file.files.length) {
      showMessage('Write a message or attach a picture or PDF.');
      text.focus();
      return;
    }
    const body = new FormData();
    body.append('text', text.value);
    if (file.files.length) body.append('file', file.files[0]);
    send.disabled = true;
    try {
      await post(path, body);
      text.value = '';
      file.value = '';
      await load();
    } catch (err) {
      showMessage(`Not sent: ${err.message}`);
    } finally {
      send.disabled = false;
    }
  } },
  el('label', { for: 'message-text' }, asPatient ? 'Write to your care team' : 'Write to the patient'), text,
  el('label', { for: 'message-file' }, 'Attach a picture or PDF (optional)'), file,
  send);

  const section = el('section', { class: 'thread', 'aria-labelledby': 'messages-heading' },
    el('h2', { id: 'messages-heading' }, asPatient ? 'Messages with your care team' : 'Messages'),
    list, form);

  function attachmentLink(message) {
    const a = message.attachment;
    return el('button', { type: 'button', class: 'link attachment', onclick: async () => {
      try {
        const blob = await download(`${path}/${encodeURIComponent(message.id)}/attachment`);
        const url = URL.createObjectURL(blob);
        const save = el('a', { href: url, download: a.fileName });
        document.body.append(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      } catch (err) {
        showMessage(`The attachment could not be opened: ${err.message}`);
      }
    } }, `📎 ${a.fileName} (${Math.max(1, Math.round(a.size / 1024))} KB)`);
  }

  function render(messages) {
    if (!messages.length) {
      list.replaceChildren(el('li', { class: 'quiet' }, 'No messages yet.'));
      return;
    }
    list.replaceChildren(...messages.map((m) => {
      const own = m.fromPatient === asPatient;
      const receipt = own
        ? el('span', { class: 'receipt' }, m.readAt ? `Read ${when(m.readAt)}` : 'Not read yet')
        : null;
      return el('li', { class: `message-item ${own ? 'own' : 'theirs'}`, 'data-id': m.id },
        el('p', { class: 'message-meta' }, el('strong', {}, own ? 'You' : m.senderName), ` · ${when(m.sentAt)}`),
        m.text ? el('p', { class: 'message-text' }, m.text) : null,
        m.attachment ? attachmentLink(m) : null,
        receipt);
    }));
  }

  async function load() {
    try {
      render((await get(path)).messages);
    } catch (err) {
      list.replaceChildren(el('li', { class: 'quiet' }, `Messages could not be loaded: ${err.message}`));
    }
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  return { section, stop: () => clearInterval(timer) };
}
