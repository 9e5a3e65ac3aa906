/**
 * A tiny element builder. Children that are strings become text nodes, so server and
 * participant text can never be parsed as HTML.
 *
 *   h("p", { class: "muted" }, "Hello ", h("strong", {}, name))
 *
 * Props: `class`, `on<event>` listeners, booleans (true sets an empty attribute, false or null
 * skips it) and any other attribute as a string.
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** Paragraphs from text with blank lines between them (single newlines are kept by CSS). */
export function paragraphs(text) {
  return String(text ?? "")
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => h("p", {}, part));
}

let idCounter = 0;

/** A document-unique id for aria-labelledby and friends. */
export function uniqueId(stem) {
  idCounter += 1;
  return `${stem}-${idCounter}`;
}
