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
// Stacked table rows on a phone name each cell by its column: cells that carry no data-label in the HTML get
// their column header's text (the CSS shows it before the cell at narrow widths).
function labelTableCells(root) {
  root.querySelectorAll("table.table").forEach(function (table) {
    var headers = table.querySelectorAll("thead tr:last-child th");
    if (!headers.length) { return; }
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var header = headers[column];
        if (header && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
          cell.setAttribute("data-label", header.textContent.trim());
        }
        column += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });
// A form that came back with errors: the summary at its top takes the focus, so that a screen reader reads it
// and the keyboard starts from its links to each field; arriving from a link to one field, that field does.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target && target.matches("input, select, textarea")) { target.focus(); }
  else if (summary) { summary.focus(); }
});
// A link of the summary moves the focus into its field, not only the view.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
  var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
  if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({block: "center"}); }
});
