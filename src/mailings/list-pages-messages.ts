import { Catalog } from '../common/languages';

export type ListPageKey =
  | 'unsubscribeTitle'
  | 'unsubscribeText'
  | 'unsubscribeButton'
  | 'unsubscribedTitle'
  | 'unsubscribedText'
  | 'unknownTitle'
  | 'unknownText'
  | 'preferencesTitle'
  | 'preferencesText'
  | 'preferencesEmpty'
  | 'saveButton'
  | 'savedText';

/** The pages behind the links in a newsletter's footer. `{{list}}` is a list's name. */
export const LIST_PAGES: Catalog<ListPageKey> = {
  en: {
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeText: 'Stop receiving “{{list}}”?',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'You are unsubscribed',
    unsubscribedText: 'You will no longer receive “{{list}}”.',
    unknownTitle: 'Link not recognised',
    unknownText: 'This link is not valid. Please use the link from your most recent email.',
    preferencesTitle: 'Your email preferences',
    preferencesText: 'Choose the lists you want to receive.',
    preferencesEmpty: 'You are not on any list.',
    saveButton: 'Save',
    savedText: 'Your preferences are saved.',
  },
  ar: {
    unsubscribeTitle: 'إلغاء الاشتراك',
    unsubscribeText: 'هل تريد التوقف عن تلقي «{{list}}»؟',
    unsubscribeButton: 'إلغاء الاشتراك',
    unsubscribedTitle: 'تم إلغاء اشتراكك',
    unsubscribedText: 'لن تصلك «{{list}}» بعد الآن.',
    unknownTitle: 'رابط غير معروف',
    unknownText: 'هذا الرابط غير صالح. يُرجى استخدام الرابط الموجود في أحدث رسالة وصلتك.',
    preferencesTitle: 'تفضيلات البريد الإلكتروني',
    preferencesText: 'اختر القوائم التي تريد تلقيها.',
    preferencesEmpty: 'أنت غير مشترك في أي قائمة.',
    saveButton: 'حفظ',
    savedText: 'تم حفظ تفضيلاتك.',
  },
  fa: {
    unsubscribeTitle: 'لغو اشتراک',
    unsubscribeText: 'دیگر «{{list}}» را دریافت نکنید؟',
    unsubscribeButton: 'لغو اشتراک',
    unsubscribedTitle: 'اشتراک شما لغو شد',
    unsubscribedText: 'دیگر «{{list}}» را دریافت نخواهید کرد.',
    unknownTitle: 'پیوند شناخته نشد',
    unknownText: 'این پیوند معتبر نیست. لطفاً از پیوند آخرین ایمیل خود استفاده کنید.',
    preferencesTitle: 'تنظیمات ایمیل شما',
    preferencesText: 'فهرست‌هایی را که می‌خواهید دریافت کنید انتخاب کنید.',
    preferencesEmpty: 'شما در هیچ فهرستی نیستید.',
    saveButton: 'ذخیره',
    savedText: 'تنظیمات شما ذخیره شد.',
  },
  fr: {
    unsubscribeTitle: 'Se désabonner',
    unsubscribeText: 'Ne plus recevoir « {{list}} » ?',
    unsubscribeButton: 'Me désabonner',
    unsubscribedTitle: 'Vous êtes désabonné·e',
    unsubscribedText: 'Vous ne recevrez plus « {{list}} ».',
    unknownTitle: 'Lien non reconnu',
    unknownText: 'Ce lien n’est pas valide. Utilisez le lien de votre dernier e-mail.',
    preferencesTitle: 'Vos préférences e-mail',
    preferencesText: 'Choisissez les listes que vous voulez recevoir.',
    preferencesEmpty: 'Vous n’êtes inscrit·e à aucune liste.',
    saveButton: 'Enregistrer',
    savedText: 'Vos préférences sont enregistrées.',
  },
};
