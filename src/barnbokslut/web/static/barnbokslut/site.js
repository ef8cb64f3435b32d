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
