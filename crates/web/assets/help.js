// Search as you type in the help center: asks the public search API for
// suggestions after a short pause, shows them under the box, and lets the
// arrow keys and Enter choose one. Without this script the form still works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("help-suggestions");
  var endpoint = form.getAttribute("data-suggest");
  var locale = form.getAttribute("data-locale");
  var timer = null;
  var latest = 0;
  var active = -1;

  function clear() {
    list.innerHTML = "";
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function show(hits) {
    clear();
    if (!hits.length) return;
    hits.forEach(function (h, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = h.url;
      a.id = "help-suggestion-" + i;
      // The server escapes titles and snippets and marks hits with <mark>.
      a.innerHTML = h.title_html + "<small>" + h.snippet_html + "</small>";
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function suggest() {
    var q = input.value;
    if (q.trim().length < 2) { clear(); return; }
    var ticket = ++latest;
    var url = endpoint + "?as_you_type=true&limit=6&locale=" + encodeURIComponent(locale) + "&q=" + encodeURIComponent(q);
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
      .then(function (body) { if (ticket === latest) show(body.hits || []); })
      .catch(function () { /* suggestions are optional */ });
  }

  function move(step) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    if (active >= 0) links[active].removeAttribute("aria-selected");
    active = (active + step + links.length) % links.length;
    links[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", links[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") { clear(); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = list.querySelectorAll("a")[active].href;
    }
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) clear(); });
})();
