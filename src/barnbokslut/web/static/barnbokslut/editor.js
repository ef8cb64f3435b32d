/* Section editor: keep what is typed in this browser so a reload or a lost connection loses nothing.
 *
 * Progressive enhancement: the page works without this file (the form posts normally; htmx adds the live
 * preview and the server draft). Here, every keystroke is kept in localStorage under
 * "barnbokslut:avsnitt:u<user>:<section>:v<version>", the user who typed it and the version the text was typed
 * against. Only the signed-in user's own texts are ever put back: opening the editor removes every kept text of
 * another user (and the old keys without a user), and logging out removes them all (site.js). On load, a kept text that
 * differs from the form is put back, with a note ("Ett osparat utkast har återställts") and a button to discard
 * it. The form's version is set to the version the text was typed against, so if someone saved in between the
 * server answers with the conflict view instead of overwriting their text. After a successful save the server
 * redirects with ?sparad=<version>, and the kept texts of older versions are removed.
 */
(function () {
  "use strict";
  var form = document.getElementById("avsnitt-form");
  if (!form) { return; }
  var textarea = document.getElementById("id_body");
  var versionInput = document.getElementById("id_version");
  var note = document.getElementById("lokalt-utkast");
  var discard = document.getElementById("kasta-lokalt");
  var DRAFTS = "barnbokslut:avsnitt:";
  var owner = "u" + form.dataset.user + ":";
  var prefix = DRAFTS + owner + form.dataset.section + ":v";
  var original = { body: textarea.value, version: versionInput.value };

  function storage() {
    try {
      var probe = "barnbokslut:probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;  // private mode or storage disabled: the server draft still works
    }
  }
  var store = storage();
  if (!store) { return; }

  // A text typed by someone else in this browser is never shown to this user, nor left behind for later.
  var others = [];
  for (var k = 0; k < store.length; k++) {
    var name = store.key(k);
    if (name && name.indexOf(DRAFTS) === 0 && name.indexOf(DRAFTS + owner) !== 0) { others.push(name); }
  }
  others.forEach(function (name) { store.removeItem(name); });

  function keptVersions() {
    var found = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0) {
        var version = parseInt(key.slice(prefix.length), 10);
        if (!isNaN(version)) { found.push(version); }
      }
    }
    return found.sort(function (a, b) { return a - b; });
  }

  function forget(upTo) {
    keptVersions().forEach(function (version) {
      if (upTo === undefined || version <= upTo) { store.removeItem(prefix + version); }
    });
  }

  function keep() {
    try {
      store.setItem(prefix + versionInput.value, JSON.stringify({ body: textarea.value, at: Date.now() }));
    } catch (e) { /* storage full: nothing more we can do here */ }
  }

  // A save went through: what was kept for the versions before it is on the server now.
  var params = new URLSearchParams(window.location.search);
  var saved = parseInt(params.get("sparad"), 10);
  if (!isNaN(saved)) {
    forget(saved - 1);
    params.delete("sparad");
    var rest = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
  }

  var conflict = document.getElementById("konflikt");
  if (conflict) {
    // The conflict view already holds the user's text in the form, against the new version.
    forget();
    keep();
  } else {
    var versions = keptVersions();
    var current = parseInt(form.dataset.version, 10);
    var newest = versions.length ? versions[versions.length - 1] : null;
    if (newest !== null && newest <= current) {
      var kept = null;
      try { kept = JSON.parse(store.getItem(prefix + newest)); } catch (e) { kept = null; }
      if (kept && typeof kept.body === "string" && kept.body !== textarea.value) {
        textarea.value = kept.body;
        versionInput.value = String(newest);
        note.hidden = false;
        textarea.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));  // refresh the preview
      }
    }
  }

  discard.addEventListener("click", function () {
    forget();
    textarea.value = original.body;
    versionInput.value = original.version;
    note.hidden = true;
    textarea.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    textarea.focus();
  });

  textarea.addEventListener("input", keep);
})();
