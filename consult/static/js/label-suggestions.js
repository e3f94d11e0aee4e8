// Live action line and SDG suggestions while a proposal is written. The preview shows the same suggestions
// without JavaScript; this only saves a round trip. Sent with the form's CSRF token, answered as JSON.
// The answer also names the language the text reads as: the language field follows it until the submitter
// chooses one, and a note says so when the chosen language is not the one the text reads as.
(function () {
  var box = document.getElementById("label-suggestions");
  var form = box && box.closest("form");
  if (!box || !form || !window.fetch) { return; }
  var fields = ["title", "summary", "description", "keywords"];
  var timer = null;
  var last = "";
  var language = form.elements["language"];
  var note = document.getElementById("language-note");
  // A new proposal's language follows the text; a language the submitter chose (or saved) stays theirs.
  var following = language && !form.querySelector("[name=version_id]").value && note &&
    (language.value === "" || language.value === note.getAttribute("data-detected"));
  if (language) {
    language.addEventListener("change", function () { following = false; });
  }

  function showLanguage(detected) {
    if (!language || !detected) { return; }
    if (following && language.value !== detected.code) { language.value = detected.code; }
    if (!note) { return; }
    var differs = language.value !== "" && language.value !== detected.code;
    note.textContent = differs ? note.getAttribute("data-pattern").replace("%(language)s", detected.label) : "";
    note.hidden = !differs;
  }

  function render(data) {
    var list = box.querySelector("ul");
    list.textContent = "";
    var items = (data.action_lines || []).concat(data.sdgs || []);
    items.forEach(function (item) {
      var entry = document.createElement("li");
      entry.textContent = item.label;  // already in the reader's language; the model's scores are not shown
      entry.dir = "auto";
      list.appendChild(entry);
    });
    box.hidden = items.length === 0;
    showLanguage(data.language);
  }

  function ask() {
    var body = new FormData();
    fields.forEach(function (name) {
      var field = form.elements[name];
      body.append(name, field ? field.value : "");
    });
    body.append("csrf_token", form.elements["csrf_token"].value);
    var key = fields.map(function (name) { return body.get(name); }).join("\u0001");
    if (language && !following) { body.append("language", language.value); }
    if (key === last) { return; }
    last = key;
    fetch(box.getAttribute("data-url"), {method: "POST", body: body, credentials: "same-origin",
                                         headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* suggestions are a help, not a requirement */ });
  }

  form.addEventListener("input", function (event) {
    if (event.target === language) { last = ""; }
    else if (fields.indexOf(event.target.name) === -1) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 600);
  });
  ask();
})();
