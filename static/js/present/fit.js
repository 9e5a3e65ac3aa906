/**
 * Fit a projector stage to the screen. Everything inside the stage is sized in `em`, so one
 * font size scales it all; we pick the largest size (up to `max`) at which nothing overflows.
 * A long psychoeducation slide then shrinks to fit 1366×768, and a short quote stays huge.
 */
import { ngettext } from "../common/i18n.js";

const STEPS = 8;

/**
 * The largest font size worth trying on this screen: one `columns`-th of its width (half as
 * many columns on a portrait screen, which has few) and one `rows`-th of its height.
 */
export function fontCap(columns, rows) {
  const portrait = window.innerHeight > window.innerWidth;
  return Math.min(window.innerWidth / (portrait ? columns * 0.45 : columns), window.innerHeight / rows);
}

/** Largest font size in px between min and max at which `box` shows all its content. */
export function fitFont(box, { min, max }) {
  let low = min;
  let high = max;
  box.style.fontSize = `${max}px`;
  if (!overflows(box)) return max;
  for (let step = 0; step < STEPS; step += 1) {
    const middle = (low + high) / 2;
    box.style.fontSize = `${middle}px`;
    if (overflows(box)) high = middle;
    else low = middle;
  }
  box.style.fontSize = `${low}px`;
  return low;
}

/**
 * When a 2,000-person room sends more answers or words than fit even at the smallest size,
 * show as many as fit and say how many more there are, rather than cutting them off at the
 * screen's edge. Words come most-given first, so the ones left out are the rarest.
 */
export function trimList(box, selector = ".results-entries, .results-words") {
  const list = box.querySelector(selector);
  if (!list || !overflows(box)) return;
  const items = [...list.children];
  const more = document.createElement("li");
  more.className = "results-more";
  list.append(more);
  let shown = items.length;
  while (shown > 0 && overflows(box)) {
    shown -= 1;
    items[shown].hidden = true;
    more.textContent = ngettext("and %(num)s more", "and %(num)s more", items.length - shown);
  }
}

function overflows(box) {
  return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
}
