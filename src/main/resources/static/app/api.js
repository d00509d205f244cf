// The API as the web app uses it: JSON over fetch with the signed-in person's token, and
// Server-Sent Events read from a fetch stream (EventSource cannot send an Authorization header).

import { accessToken, signIn } from './auth.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The first problem an OperationOutcome (or plain error body) names, for the person to read. */
function problemOf(status, body) {
  try {
    const json = JSON.parse(body);
    const issue = json.issue && json.issue[0];
    if (issue) return issue.diagnostics || issue.details?.text || issue.code;
    if (json.error_description || json.error) return json.error_description || json.error;
  } catch (e) {
    // not JSON
  }
  return `the server answered ${status}`;
}

export async function request(path, { method = 'GET', body, contentType = 'application/json' } = {}) {
  const token = await accessToken();
  if (!token) {
    await signIn();
    throw new ApiError(401, 'signed out');
  }
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json, application/fhir+json' };
  const form = body instanceof FormData;
  // A form sets its own multipart Content-Type, boundary included.
  if (body !== undefined && !form) headers['Content-Type'] = contentType;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : form || typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, problemOf(response.status, text));
  return text ? JSON.parse(text) : null;
}

export const get = (path) => request(path);
export const post = (path, body, contentType) => request(path, { method: 'POST', body, contentType });
/** A file from the API (an attachment), as a Blob: links cannot carry the Authorization header. */
export async function download(path) {
  const token = await accessToken();
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new ApiError(response.status, problemOf(response.status, await response.text()));
  return response.blob();
}

export const put = (path, body, contentType) => request(path, { method: 'PUT', body, contentType });

/**
 * Follows a Server-Sent Events stream, calling onEvent(name, data) for each event, and reconnects
 * after a pause when it ends. Returns a function that stops it.
 */
export function follow(path, onEvent, onState = () => {}) {
  let stopped = false;
  let controller;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const token = await accessToken();
        const response = await fetch(path, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok) throw new ApiError(response.status, `stream answered ${response.status}`);
        onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length) onEvent(name, JSON.parse(data.join('\n')));
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
