// briefing's page script: a citation mark opens its source passages in the side panel.
// It reads its data from the JSON block and writes text only (textContent), never markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("briefing-passages").textContent);
  var panel = document.getElementById("passage-panel");
  var body = document.getElementById("passage-body");
  var heading = document.getElementById("passage-title");
  var closer = document.getElementById("passage-close");
  var opener = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function passage(p, primary) {
    var article = element("article", primary ? "passage primary" : "passage");
    var ref = element("p", "passage-ref");
    ref.appendChild(element("span", "passage-id", p.id));
    ref.appendChild(document.createTextNode(" "));
    ref.appendChild(element("cite", null, p.title || "Untitled"));
    var rest = [p.publication, p.author, p.date].filter(Boolean);
    if (rest.length) ref.appendChild(document.createTextNode(", " + rest.join(", ")));
    article.appendChild(ref);
    // the cited sentence in its paragraph; the paragraphs before and after it as their own
    var quote = element("blockquote", "passage-text");
    var before = p.before.split("\n\n"), after = p.after.split("\n\n");
    var paragraph = element("p");
    for (var k = 0; k < before.length - 1; k++) if (before[k].trim()) quote.appendChild(element("p", null, before[k]));
    paragraph.appendChild(document.createTextNode(before[before.length - 1]));
    paragraph.appendChild(element("mark", null, p.cited));
    paragraph.appendChild(document.createTextNode(after[0]));
    quote.appendChild(paragraph);
    for (k = 1; k < after.length; k++) if (after[k].trim()) quote.appendChild(element("p", null, after[k]));
    article.appendChild(quote);
    var foot = element("p", "passage-source");
    if (typeof p.url === "string" && /^https?:\/\//i.test(p.url)) {
      var link = element("a", null, "Read the original");
      link.href = p.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      foot.appendChild(link);
      foot.appendChild(document.createTextNode(" · "));
    }
    foot.appendChild(element("span", "passage-file", "File " + p.file));
    article.appendChild(foot);
    return article;
  }

  function open(mark) {
    var note = data[mark.getAttribute("data-note")];
    if (!note || !note.passages.length) return false;
    while (body.firstChild) body.removeChild(body.firstChild);
    heading.textContent = "Note " + note.number + ": the source";
    body.appendChild(passage(note.passages[0], true));
    if (note.passages.length > 1 || note.more) {
      body.appendChild(element("h3", "passage-further", "Also stated by"));
      for (var k = 1; k < note.passages.length; k++) body.appendChild(passage(note.passages[k], false));
      if (note.more) {
        body.appendChild(element("p", "passage-more", "and " + note.more + " other source" +
          (note.more === 1 ? "" : "s") + " stating the same (brief.json lists every citation)."));
      }
    }
    if (opener && opener !== mark) opener.setAttribute("aria-expanded", "false");
    opener = mark;
    mark.setAttribute("aria-expanded", "true");
    panel.hidden = false;
    document.documentElement.classList.add("panel-open");
    panel.scrollTop = 0;
    panel.focus();
    return true;
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    document.documentElement.classList.remove("panel-open");
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
    opener = null;
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest("a.cite") : null;
    if (mark && open(mark)) event.preventDefault();
  });
  closer.addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") close();
  });
})();
