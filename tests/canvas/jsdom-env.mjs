// A browser-like global for React: imported before react-dom, which looks for `window` when it
// loads. jsdom 26 is the last major that runs on Node 18.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ['navigator', 'HTMLElement', 'Node', 'Event', 'getComputedStyle']) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
// Tells React 18 that act() is in use, so it flushes updates and does not warn.
globalThis.IS_REACT_ACT_ENVIRONMENT = true;
