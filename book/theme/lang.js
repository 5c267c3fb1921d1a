// The language picker: a link in the menu bar to the same page in the other language. The
// English book is at the site's root, the Chinese one in zh-CN/ beside its pages; mdBook sets
// `path_to_root` on every page, so the page's path inside its book is known without a site URL.
(function () {
    "use strict";
    const zh = document.documentElement.lang === "zh-CN";
    const bookRoot = new URL(typeof path_to_root === "string" && path_to_root ? path_to_root : "./", location.href);
    const page = location.pathname.slice(bookRoot.pathname.length) || "index.html";
    const target = new URL((zh ? "../" : "zh-CN/") + page, bookRoot);
    const link = document.createElement("a");
    link.href = target.href;
    link.className = "lang-picker";
    link.textContent = zh ? "English" : "中文";
    link.title = zh ? "Read this page in English" : "阅读本页的中文版";
    link.lang = zh ? "en" : "zh-CN";
    const buttons = document.querySelector(".right-buttons");
    if (buttons) {
        buttons.prepend(link);
    }
    // gettext translates Markdown, not HTML blocks: the `<details>` summaries are named here.
    if (zh) {
        const names = { "Hint": "提示" };
        document.querySelectorAll("summary").forEach(function (summary) {
            const name = names[summary.textContent.trim()];
            if (name) {
                summary.textContent = name;
            }
        });
    }
})();
