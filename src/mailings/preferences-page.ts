import { resolveLanguage } from '../common/languages';
import { renderLayout, renderTemplate } from '../web/layout';

export interface PreferencesPageContent {
  language: string;
  title: string;
  paragraphs: string[];
  lists: Array<{ id: string; name: string; checked: boolean }>;
  button: string;
}

// The shared page layout (src/pages/layout.ts), with a checkbox per list.
const CONTENT = `<div class="card">
<h1>{{title}}</h1>
{{#paragraphs}}
<p>{{.}}</p>
{{/paragraphs}}
{{#hasLists}}
<form method="post">
<input type="hidden" name="form" value="preferences">
{{#lists}}
<div class="field field-checkbox"><input type="checkbox" id="list-{{id}}" name="lists" value="{{id}}"{{#checked}} checked{{/checked}}> <label for="list-{{id}}">{{name}}</label></div>
{{/lists}}
<button type="submit">{{button}}</button>
</form>
{{/hasLists}}
</div>`;

export function renderPreferencesPage(content: PreferencesPageContent): string {
  return renderLayout({
    language: resolveLanguage(content.language),
    title: content.title,
    content: renderTemplate(CONTENT, { ...content, hasLists: content.lists.length > 0 }),
    noindex: true,
  });
}
