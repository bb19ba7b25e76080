import Mustache from 'mustache';
import { textDirection } from '../common/languages';
import { buttonStyle, pageTemplate } from '../pages/html-page';

export interface PreferencesPageContent {
  language: string;
  title: string;
  paragraphs: string[];
  lists: Array<{ id: string; name: string; checked: boolean }>;
  button: string;
}

// The shell of src/pages/html-page.ts, with a checkbox per list.
const PAGE = pageTemplate({
  style: `label{display:block;margin:.5rem 0}
${buttonStyle(';margin-top:1rem')}`,
  form: `{{#hasLists}}
<form method="post">
<input type="hidden" name="form" value="preferences">
{{#lists}}
<label><input type="checkbox" name="lists" value="{{id}}"{{#checked}} checked{{/checked}}> {{name}}</label>
{{/lists}}
<button type="submit">{{button}}</button>
</form>
{{/hasLists}}`,
});

export function renderPreferencesPage(content: PreferencesPageContent): string {
  return Mustache.render(PAGE, { ...content, hasLists: content.lists.length > 0, dir: textDirection(content.language) });
}
