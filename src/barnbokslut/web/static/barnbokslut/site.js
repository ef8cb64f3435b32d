/* Every page: logging out removes the texts the section editor kept in this browser (editor.js), so the next
 * person to sign in on it never gets them back. Without JavaScript nothing was kept.
 */
(function () {
  "use strict";
  var DRAFTS = "barnbokslut:avsnitt:";
  document.addEventListener("submit", function (event) {
    if (!event.target.matches || !event.target.matches("form[data-logout]")) { return; }
    try {
      var store = window.localStorage;
      var kept = [];
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key && key.indexOf(DRAFTS) === 0) { kept.push(key); }
      }
      kept.forEach(function (key) { store.removeItem(key); });
    } catch (e) { /* storage disabled: nothing was kept */ }
  });
})();

/* The board: a "Välj alla" box in a table's header ticks or clears every row's box in that table. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]")) { return; }
    var table = box.closest("table");
    if (!table) { return; }
    table.querySelectorAll("tbody input[type=checkbox][name=avsnitt]").forEach(function (row) {
      row.checked = box.checked;
    });
  });
})();
