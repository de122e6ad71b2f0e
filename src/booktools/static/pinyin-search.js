/* Search that finds pinyin as the book prints it: "ānquán" and "anquan" find the same pages.
   Sphinx's searchtools.js uses a global splitQuery when one is defined before it loads; this one folds tone
   marks (NFD, then combining marks dropped; ü becomes u) before splitting, as booktools.sphinxext folds the
   index. Loaded on every page, before searchtools.js. */
var splitQuery = (query) => query
  .normalize("NFD")
  .replace(/[\u0300-\u036f]/g, "")
  .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
  .filter((term) => term);
