// synograph explorer: look a term up, list its cluster, draw its neighbourhood with sigma.js
// over graphology, and say why each neighbour was kept out of the term's cluster.
'use strict';
(function () {
  const Graph = window.graphology.Graph || window.graphology;
  const Sigma = window.Sigma.Sigma || window.Sigma.default || window.Sigma;
  const COLORS = { synonym: '#2e7d32', antonym: '#c62828', 'co-hyponym': '#f9a825', pruned: '#9e9e9e' };
  const $ = (id) => document.getElementById(id);
  const state = { renderer: null, graph: null, data: null, selected: null };
  window.__explorer = state;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function status(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { accept: 'application/json' } });
    const body = await r.json().catch(() => ({ message: r.statusText }));
    if (!r.ok) throw new Error(body.message || `HTTP ${r.status}`);
    return body;
  }

  function showCluster(answer) {
    $('cluster-panel').hidden = false;
    const c = answer.cluster;
    $('matched').textContent = `(matched "${answer.term}" as ${answer.matched.norm}, ${answer.matched.via})`;
    $('members').replaceChildren();
    $('senses').replaceChildren();
    if (!c) {
      $('cluster-id').textContent = '';
      $('representative').textContent = answer.matched.norm + ' is in no cluster';
      return;
    }
    $('cluster-id').textContent = `#${c.id}`;
    $('representative').textContent = c.representative || '-';
    for (const m of c.members) {
      const li = el('li', m.term, m.primary ? undefined : 'other-sense');
      li.append(el('span', m.support.toFixed(2), 'support'));
      // A member there through another of its senses (kara in the ill-fated cluster) says so.
      if (!m.primary) li.append(el('span', m.sense === null ? 'another sense' : `its sense ${m.sense}`, 'via'));
      $('members').append(li);
    }
    if (c.truncated) $('members').append(el('li', `… ${c.size - c.members.length} more`));
    for (const s of answer.alternativeSenses) {
      const which = s.sense === null ? 'another sense' : `sense ${s.sense}`;
      $('senses').append(el('p', `${which}: #${s.clusterId} (${s.representative}, support ${s.support.toFixed(2)}): ${s.members.map((m) => m.term).join(', ')}`));
    }
  }

  function edgeTo(name) {
    const center = state.data.center;
    return state.data.edges.find((e) => (e.source === center && e.target === name) || (e.target === center && e.source === name));
  }

  function select(name) {
    const node = state.data.nodes.find((n) => n.id === name);
    if (!node || node.center) return;
    state.selected = name;
    for (const b of $('neighbours').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.term === name));
    $('why').hidden = false;
    $('why-term').textContent = `"${name}" ${node.keptOut ? 'was kept out' : 'is in the cluster'}`;
    const e = edgeTo(name);
    $('why-verdict').textContent = e ? `(${e.kind})` : '';
    $('why-reasons').replaceChildren(...node.why.map((w) => el('li', w)));
    if (state.renderer) state.renderer.refresh();
  }

  function layout(data) {
    // Rings by depth around the centre: deterministic, and readable for a few hundred nodes.
    const rings = new Map();
    for (const n of data.nodes) {
      if (!rings.has(n.depth)) rings.set(n.depth, []);
      rings.get(n.depth).push(n);
    }
    const pos = new Map();
    for (const [depth, nodes] of rings) {
      nodes.forEach((n, i) => {
        const angle = (2 * Math.PI * i) / nodes.length + depth * 0.4;
        pos.set(n.id, depth === 0 ? { x: 0, y: 0 } : { x: depth * Math.cos(angle), y: depth * Math.sin(angle) });
      });
    }
    return pos;
  }

  function drawGraph(data) {
    $('graph-panel').hidden = false;
    $('side').hidden = false;
    if (state.renderer) state.renderer.kill();
    state.renderer = null;
    const graph = new Graph({ multi: false, type: 'undirected' });
    const pos = layout(data);
    const primarySense = data.senses.find((s) => s.primary);
    for (const n of data.nodes) {
      const p = pos.get(n.id);
      // Blue: the term; green: its primary sense's cluster; teal: one of its other senses; brown: kept out.
      const color = n.center ? '#1565c0' : n.centerSense === null ? '#8d6e63' : primarySense && n.centerSense === primarySense.clusterId ? '#43a047' : '#00897b';
      graph.addNode(n.id, { x: p.x, y: p.y, size: n.center ? 14 : 9, label: n.id, color });
    }
    for (const e of data.edges) {
      if (!graph.hasEdge(e.source, e.target)) graph.addEdge(e.source, e.target, { color: COLORS[e.kind], size: e.kind === 'synonym' ? 3 : 2, kind: e.kind });
    }
    state.graph = graph;
    try {
      state.renderer = new Sigma(graph, $('graph'), {
        renderEdgeLabels: false,
        labelRenderedSizeThreshold: 0,
        nodeReducer: (node, attrs) => (node === state.selected ? Object.assign({}, attrs, { highlighted: true, size: attrs.size * 1.4 }) : attrs),
      });
      state.renderer.on('clickNode', ({ node }) => select(node));
    } catch (err) {
      status(`The graph cannot be drawn here (${err.message}); the lists still work.`, true);
    }
    $('neighbours').replaceChildren();
    // Neighbours grouped by the term's sense clusters they share (primary sense first), then the rest.
    const groups = data.senses.map((s) => ({ title: `${s.primary ? 'primary sense' : s.sense === null ? 'another sense' : `sense ${s.sense}`}: #${s.clusterId}${s.representative ? ` (${s.representative})` : ''}`, clusterId: s.clusterId }));
    groups.push({ title: 'kept out', clusterId: null });
    for (const g of groups) {
      const members = data.nodes.filter((x) => !x.center && x.centerSense === g.clusterId).sort((a, b) => a.depth - b.depth || a.id.localeCompare(b.id, 'tr'));
      if (members.length === 0) continue;
      $('neighbours').append(el('li', g.title, 'group'));
      for (const n of members) {
        const b = el('button', n.id, n.keptOut ? 'kept-out' : 'kept');
        b.type = 'button';
        b.dataset.term = n.id;
        b.setAttribute('aria-pressed', 'false');
        b.addEventListener('click', () => select(n.id));
        const li = el('li');
        const e = edgeTo(n.id);
        li.append(b, el('span', e ? e.kind : `depth ${n.depth}`, 'kind'));
        $('neighbours').append(li);
      }
    }
    $('why').hidden = true;
  }

  async function lookup(term) {
    status(`Looking up "${term}"…`);
    try {
      const enc = encodeURIComponent(term);
      const [answer, graph] = await Promise.all([getJson(`/v1/terms/${enc}`), getJson(`/v1/graph/${enc}?depth=${$('depth').value}`)]);
      state.data = graph;
      state.selected = null;
      showCluster(answer);
      drawGraph(graph);
      if (!$('status').classList.contains('error')) status(`${graph.nodes.length} terms, ${graph.edges.length} stored verdicts around "${graph.center}"${graph.truncated ? ' (cut)' : ''}.`);
      history.replaceState(null, '', `?q=${enc}`);
    } catch (err) {
      status(err.message, true);
    }
  }

  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const term = $('term').value.trim();
    if (term) lookup(term);
  });
  const q = new URLSearchParams(location.search).get('q');
  if (q) {
    $('term').value = q;
    lookup(q);
  }
})();
