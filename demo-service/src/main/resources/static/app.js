// Knowledge notes page: plain DOM code against the JSON API (/api/notes, /api/status).
'use strict';

const $ = (id) => document.getElementById(id);

/** Calls the API; resolves to the parsed JSON (or null for 204), rejects with the problem's detail. */
async function api(method, path, body) {
  const options = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  if (response.status === 204) {
    return null;
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((json && json.detail) || `${response.status} ${response.statusText}`);
  }
  return json;
}

function show(element, text, isError) {
  element.textContent = text;
  element.classList.toggle('error', Boolean(isError));
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** One list item: score (when searching), title, text, tags, creation time and a delete button. */
function noteItem(note, score) {
  const item = element('li', 'result');
  item.dataset.id = note.id;
  item.appendChild(element('span', 'score', score === undefined ? '' : score.toFixed(3)));
  const body = element('div', 'note');
  body.appendChild(element('div', 'note-title', note.title));
  body.appendChild(element('div', 'note-text', note.text));
  const meta = element('div', 'note-meta');
  for (const tag of note.tags) {
    meta.appendChild(element('span', 'tag', tag));
  }
  meta.appendChild(document.createTextNode(new Date(note.createdAt).toLocaleString()));
  body.appendChild(meta);
  item.appendChild(body);
  const remove = element('button', 'delete', 'Delete');
  remove.type = 'button';
  remove.addEventListener('click', () => deleteNote(note.id));
  item.appendChild(remove);
  return item;
}

let lastSearch = null;

function render(heading, entries) {
  $('results-heading').textContent = heading;
  const list = $('results');
  list.replaceChildren(...entries.map(([note, score]) => noteItem(note, score)));
  if (entries.length === 0) {
    list.appendChild(element('li', 'empty hint', 'No notes.'));
  }
}

async function showAll() {
  lastSearch = null;
  const notes = await api('GET', '/api/notes');
  render(`All notes (${notes.length})`, notes.map((note) => [note]));
}

async function runSearch(params) {
  const hits = await api('GET', '/api/notes/search?' + params.toString());
  lastSearch = params;
  render(`Results for “${params.get('q')}”`, hits.map((hit) => [hit.note, hit.score]));
}

async function refreshList() {
  if (lastSearch) {
    await runSearch(lastSearch);
  } else {
    await showAll();
  }
}

async function deleteNote(id) {
  try {
    await api('DELETE', '/api/notes/' + encodeURIComponent(id));
    show($('search-message'), 'Note deleted.');
    await refreshList();
    await refreshStatus();
  } catch (error) {
    show($('search-message'), error.message, true);
  }
}

async function refreshStatus() {
  try {
    const status = await api('GET', '/api/status');
    $('status-mode').textContent = status.mode;
    $('status-sync').textContent = status.sync.state;
    $('status-server').textContent = status.server
      ? `${status.server.url} (collection ${status.server.collection})`
      : 'none';
    $('status-points').textContent = String(status.shard.points);
    $('status-path').textContent = status.shard.path;
    $('status-detail').textContent = status.sync.detail;
  } catch (error) {
    $('status-detail').textContent = 'Status unavailable: ' + error.message;
  }
}

$('add-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const tags = $('tags').value.split(',').map((tag) => tag.trim()).filter((tag) => tag.length > 0);
  const message = $('add-message');
  show(message, 'Adding…');
  try {
    const note = await api('POST', '/api/notes', { title: $('title').value, text: $('text').value, tags });
    $('add-form').reset();
    show(message, `Added “${note.title}”.`);
    await refreshList();
    await refreshStatus();
  } catch (error) {
    show(message, error.message, true);
  }
});

$('search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  params.set('q', $('query').value);
  for (const [name, id] of [['tag', 'filter-tag'], ['from', 'filter-from'], ['to', 'filter-to']]) {
    const value = $(id).value.trim();
    if (value) {
      params.set(name, value);
    }
  }
  const message = $('search-message');
  show(message, 'Searching…');
  try {
    await runSearch(params);
    show(message, '');
  } catch (error) {
    show(message, error.message, true);
  }
});

$('show-all').addEventListener('click', () => {
  show($('search-message'), '');
  showAll().catch((error) => show($('search-message'), error.message, true));
});

showAll().catch((error) => show($('search-message'), error.message, true));
refreshStatus();
setInterval(refreshStatus, 5000);
