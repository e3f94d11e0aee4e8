// Text typed into a long form survives a session that ended meanwhile (signed out on another device, expired).
// Such a POST is answered with the sign-in page, and what was typed would be lost. So, when a form marked
// data-keep-typed="<account>" is sent, its fields are kept in this tab's sessionStorage; if the answer is the
// sign-in page, they wait there; once the same account is signed in again and the same form is shown, they are put
// back, with the form's data-kept-notice on top. Any other answer (saved, or refused with the form shown again by
// the server, which keeps the text itself) forgets them. Signing out forgets them too. Nothing leaves the browser.
(function () {
  var KEY = "consult:typed";
  var MAX_AGE_MS = 2 * 60 * 60 * 1000;

  function read() {
    try { return JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (error) { return null; }
  }
  function write(value) {
    try {
      if (value) { window.sessionStorage.setItem(KEY, JSON.stringify(value)); }
      else { window.sessionStorage.removeItem(KEY); }
    } catch (error) { /* storage full or refused: the page works as before */ }
  }
  function pathOf(form) { return new URL(form.action, window.location.href).pathname; }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-forget-typed")) { write(null); return; }
    if (event.defaultPrevented || !form.hasAttribute("data-keep-typed")) { return; }
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrf_token" || element.disabled) { return; }
      if (element.type === "submit" || element.type === "button" || element.type === "file") { return; }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) { return; }
      if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.selectedOptions, function (option) { fields.push([element.name, option.value]); });
        return;
      }
      fields.push([element.name, element.value]);
    });
    write({path: pathOf(form), account: form.getAttribute("data-keep-typed"), fields: fields, at: Date.now(),
           waiting: false});
  });

  function restore(form, kept) {
    var values = {};
    kept.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var given = values[element.name];
      if (!element.name || element.name === "csrf_token" || !given) { return; }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = given.indexOf(element.value) !== -1;
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.options, function (option) { option.selected = given.indexOf(option.value) !== -1; });
      } else if (element.type !== "submit" && element.type !== "button" && element.type !== "file") {
        var index = seen[element.name] || 0;
        if (index < given.length) { element.value = given[index]; }
        seen[element.name] = index + 1;
      }
    });
    // Unticked boxes were not sent: a box ticked on the page but absent from what was kept is unticked again.
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      if (box.name && !values[box.name]) { box.checked = false; }
    });
    var notice = document.createElement("p");
    notice.className = "flash flash-info";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-testid", "typed-restored");
    notice.textContent = form.getAttribute("data-kept-notice") || "";
    form.parentNode.insertBefore(notice, form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var kept = read();
    if (!kept) { return; }
    if (Date.now() - kept.at > MAX_AGE_MS) { write(null); return; }
    var waitingNote = document.querySelector("[data-typed-waiting]");
    if (waitingNote) {
      // The sign-in page (or its second step): what was typed waits for the person to be signed in again.
      kept.waiting = true;
      write(kept);
      // A flash only once shown: hidden, it is not one of the page's messages.
      waitingNote.classList.add("flash", "flash-info");
      waitingNote.hidden = false;
      return;
    }
    if (!kept.waiting) { write(null); return; }
    var form = Array.prototype.find.call(document.querySelectorAll("form[data-keep-typed]"), function (candidate) {
      return pathOf(candidate) === kept.path;
    });
    if (!form) { return; }  // another page on the way back (a redirect, a notice): keep waiting
    write(null);
    if (form.getAttribute("data-keep-typed") === kept.account) { restore(form, kept); }
  });
})();
