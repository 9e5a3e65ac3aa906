/**
 * Tabs in the WAI-ARIA pattern: a click picks a tab; ← and → (and Home, End) move between the
 * tabs and pick them. Only the selected tab is in the Tab order, so the keyboard reaches the
 * panel in one step. Arrow keys used here are marked handled (preventDefault), so the page's
 * slide shortcuts leave them alone. On a right-to-left page the tabs run from the right, so
 * ← moves to the next tab and → to the previous one.
 */
const MOVES = { ArrowRight: 1, ArrowLeft: -1 };

export function createTabs(tablist) {
  const tabs = [...tablist.querySelectorAll("[role=tab]")];

  function select(chosen) {
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
    }
  }

  tablist.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) select(tab);
  });

  tablist.addEventListener("keydown", (event) => {
    const position = tabs.indexOf(event.target.closest("[role=tab]"));
    let next = null;
    const step = MOVES[event.key] * (getComputedStyle(tablist).direction === "rtl" ? -1 : 1);
    if (event.key in MOVES) next = tabs[(position + step + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    if (!next || position < 0) return;
    event.preventDefault();
    select(next);
    next.focus();
  });
}
