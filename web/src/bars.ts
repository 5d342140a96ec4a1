// A list of probability bars (a bar as wide as the share, and its label), for the views that
// show what a model predicts.

/** One bar: its label, share in [0, 1], and a key kept in `data-key` (for tests and styling). */
export interface Bar {
  readonly label: string;
  readonly p: number;
  readonly key: string;
}

/** Replaces the items of `list` with one bar per entry, labelled "label 12.3%". */
export function showBars(list: HTMLElement, bars: readonly Bar[]): void {
  list.replaceChildren(
    ...bars.map(({ label, p, key }) => {
      const li = document.createElement("li");
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = `${(p * 100).toFixed(1)}%`;
      const text = document.createElement("span");
      text.className = "bar-label";
      text.dataset.key = key;
      text.textContent = `${label} ${(p * 100).toFixed(1)}%`;
      li.append(bar, text);
      return li;
    }),
  );
}
