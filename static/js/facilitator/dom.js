/**
 * A tiny element builder for the control room and the projector. String children become text
 * nodes, so participant and plan text can never be parsed as HTML.
 *
 *   h("p", { class: "muted" }, "Hello ", h("strong", {}, name))
 *
 * Props: `class`, `on<event>` listeners, `data-*` and other attributes as strings; booleans set
 * (true) or skip (false) an attribute, null and undefined skip it.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** Replace an element's children, skipping the null and false left by optional parts. */
export function fill(element, children) {
  element.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
}

/** Paragraph elements from text with blank lines between paragraphs. */
export function paragraphs(text) {
  return String(text ?? "")
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => h("p", {}, part));
}

/** "1 answer" / "3 answers": a count with its noun. */
export function plural(count, one, many) {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** "192.168.1.20:5000/j/K7Q2MX" from "http://192.168.1.20:5000/j/K7Q2MX": what people type. */
export function withoutScheme(url) {
  return String(url).replace(/^[a-z]+:\/\//i, "");
}
