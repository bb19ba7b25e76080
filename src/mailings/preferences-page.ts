import Mustache from 'mustache';
import { textDirection } from '../common/languages';

export interface PreferencesPageContent {
  language: string;
  title: string;
  paragraphs: string[];
  lists: Array<{ id: string; name: string; checked: boolean }>;
  button: string;
}

// Same look as src/pages/html-page.ts, with a checkbox per list. Self-contained: no script,
// nothing from another origin.
const PAGE = `<!doctype html>
<html lang="{{language}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>{{title}}</title>
<style>
body{margin:0;background:#f4f4f5;color:#18181b;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}
h1{font-size:1.5rem;margin-top:0}
label{display:block;margin:.5rem 0}
button{font:inherit;font-weight:bold;padding:.75rem 1.5rem;border:0;border-radius:6px;background:#b91c1c;color:#fff;cursor:pointer;margin-top:1rem}
button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
</style>
</head>
<body>
<main>
<h1>{{title}}</h1>
{{#paragraphs}}
<p>{{.}}</p>
{{/paragraphs}}
{{#hasLists}}
<form method="post">
<input type="hidden" name="form" value="preferences">
{{#lists}}
<label><input type="checkbox" name="lists" value="{{id}}"{{#checked}} checked{{/checked}}> {{name}}</label>
{{/lists}}
<button type="submit">{{button}}</button>
</form>
{{/hasLists}}
</main>
</body>
</html>
`;

export function renderPreferencesPage(content: PreferencesPageContent): string {
  return Mustache.render(PAGE, { ...content, hasLists: content.lists.length > 0, dir: textDirection(content.language) });
}
