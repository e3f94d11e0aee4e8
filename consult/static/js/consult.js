// The little JavaScript there is: confirmation for destructive buttons. Every page works without it.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
// A form can be sent once: a double click does not send it twice (the server is idempotent as well).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || form.method.toLowerCase() !== "post") { return; }
  if (form.dataset.sending === "1") { event.preventDefault(); return; }
  form.dataset.sending = "1";
});
