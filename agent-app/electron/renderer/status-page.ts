/**
 * The status window's page. Everything it shows comes from buildPageModel (pure, tested separately);
 * this file only puts it into the DOM, always as text (status contents come from checks and programs on
 * this computer and are never parsed as HTML). Talks to the main process only through the preload's
 * three calls on `window.proxmoxSleep`.
 */
import { API_NAME, type StatusSnapshot, type StatusWindowApi } from '../ipc-channels';
import type { BlockPreset } from '../shared/block-presets';
import { buildPageModel, type PageModel } from '../shared/view-model';

declare global {
  interface Window {
    [API_NAME]: StatusWindowApi;
  }
}

const SVG = 'http://www.w3.org/2000/svg';
const api = window[API_NAME];
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let last: { snapshot: StatusSnapshot; receivedAt: number } | null = null;
let busy = false;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function renderChart(model: PageModel): void {
  const svg = $('chart-bands') as unknown as SVGSVGElement;
  svg.replaceChildren(
    ...model.chart.segments.map((s) => {
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', (s.start * 1000).toFixed(2));
      rect.setAttribute('width', Math.max(0.5, s.width * 1000).toFixed(2));
      rect.setAttribute('y', '0');
      rect.setAttribute('height', '10');
      rect.setAttribute('class', `band-${s.state}`);
      rect.dataset.state = s.state;
      const title = document.createElementNS(SVG, 'title');
      title.textContent = s.title;
      rect.appendChild(title);
      return rect;
    }),
  );
  $('chart-ticks').replaceChildren(
    ...model.chart.ticks.map((t) => {
      const span = el('span', t.label);
      span.style.left = `${t.at * 100}%`;
      return span;
    }),
  );
  $('legend').replaceChildren(
    ...model.chart.legend.map((item) => {
      const li = el('li', `${item.label} ${item.minutes} min`);
      li.dataset.state = item.state;
      return li;
    }),
  );
}

function renderChecks(model: PageModel): void {
  $('checks').replaceChildren(
    ...model.checks.map((check) => {
      const row = el('tr');
      row.dataset.check = check.name;
      const pill = el('span', check.state, 'pill');
      pill.dataset.state = check.state;
      const state = el('td', undefined, 'state');
      state.appendChild(pill);
      row.append(el('td', check.label, 'name'), state, el('td', check.detail, 'detail'));
      return row;
    }),
  );
  $('no-checks').hidden = model.checks.length > 0;
}

function renderFacts(model: PageModel): void {
  $('facts').replaceChildren(...model.facts.flatMap((f) => [el('dt', f.label), el('dd', f.value)]));
}

function render(): void {
  if (!last) return;
  // The main process's clock, advanced by the time since the snapshot arrived (keeps the countdown live).
  const now = last.snapshot.now + (Date.now() - last.receivedAt);
  const model = buildPageModel({ ...last.snapshot, now });
  const verdict = $('verdict');
  verdict.dataset.state = model.state;
  $('headline').textContent = model.headline;
  $('line').textContent = model.line;
  $('updated').textContent = model.updated;
  $('identity').textContent = model.identity;
  const warning = $('warning');
  warning.hidden = model.warning === null;
  warning.textContent = model.warning ?? '';
  $('block-active').hidden = !model.block.active;
  $('block-text').textContent = model.block.text ?? '';
  renderChart(model);
  renderChecks(model);
  renderFacts(model);
}

async function choose(preset: BlockPreset): Promise<void> {
  if (busy) return;
  busy = true;
  const buttons = document.querySelectorAll<HTMLButtonElement>('button');
  buttons.forEach((b) => (b.disabled = true));
  const reply = $('block-reply');
  try {
    const answer = await api.setBlock(preset);
    reply.textContent = answer.message;
    reply.dataset.success = String(answer.success);
  } catch (e) {
    reply.textContent = `Could not change the block: ${e instanceof Error ? e.message : String(e)}`;
    reply.dataset.success = 'false';
  } finally {
    buttons.forEach((b) => (b.disabled = false));
    busy = false;
  }
}

function setUpControls(model: PageModel): void {
  $('presets').replaceChildren(
    ...model.presets.map((p) => {
      const button = el('button', p.label);
      button.type = 'button';
      button.dataset.preset = p.preset;
      button.addEventListener('click', () => void choose(p.preset));
      return button;
    }),
  );
  $('block-off').addEventListener('click', () => void choose('off'));
}

function accept(snapshot: StatusSnapshot): void {
  last = { snapshot, receivedAt: Date.now() };
  render();
}

setUpControls(
  buildPageModel({ status: null, history: [], now: Date.now(), statusFile: '', writeError: null }),
);
api.onStatus(accept);
void api.getStatus().then(accept);
setInterval(render, 15_000);
