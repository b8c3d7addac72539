/**
 * Arabic strings: the primary language of Mustafid. The English file must have exactly
 * the same keys (enforced by the `Translation` type).
 * Role names match libs/auth/src/roles.ts (ROLE_NAMES); wording follows the policy text.
 */
export const ar = {
  app: {
    name: 'مستفيد',
    society: 'الجمعية السعودية للموارد البشرية',
    documentTitle: 'مستفيد — الجمعية السعودية للموارد البشرية',
    skipToContent: 'انتقل إلى المحتوى',
    loading: 'جارٍ التحميل…',
    sessionError: 'تعذّر الاتصال بالخادم للتحقق من جلستك.',
    retry: 'أعد المحاولة',
  },
  language: {
    switchHint: 'تغيير لغة الواجهة',
  },
  login: {
    heading: 'تسجيل الدخول',
    intro: 'ادخل باسم المستخدم وكلمة المرور الخاصّين بك في نظام العلاقة مع المستفيدين.',
    username: 'اسم المستخدم',
    password: 'كلمة المرور',
    submit: 'دخول',
    submitting: 'جارٍ الدخول…',
    errors: {
      missing: 'أدخل اسم المستخدم وكلمة المرور.',
      INVALID_CREDENTIALS: 'اسم المستخدم أو كلمة المرور غير صحيحة.',
      TOO_MANY_LOGIN_ATTEMPTS: 'محاولات دخول كثيرة. انتظر قليلًا ثم حاول مرة أخرى.',
      network: 'تعذّر الاتصال بالخادم. تحقّق من اتصالك ثم حاول مرة أخرى.',
      unknown: 'حدث خطأ غير متوقع. حاول مرة أخرى.',
    },
  },
  header: {
    account: 'الحساب الحالي',
    logout: 'تسجيل الخروج',
    loggingOut: 'جارٍ الخروج…',
  },
  home: {
    welcome: 'أهلًا بك، <name></name>',
    account: 'حسابك',
    displayName: 'الاسم',
    username: 'اسم المستخدم',
    roles: 'الأدوار',
    noRoles: 'لا أدوار مسندة إلى حسابك بعد.',
    today: 'تاريخ اليوم',
    gregorian: 'الميلادي',
    hijri: 'الهجري (أم القرى)',
    sections: 'الأقسام المتاحة لأدوارك',
    noSections: 'ستظهر هنا صفحات عملك حين تصبح جاهزة لأدوارك.',
  },
  roles: {
    applicant: 'مقدم طلب',
    reception: 'موظف علاقات المستفيدين',
    researcher: 'باحث اجتماعي',
    committee: 'عضو لجنة البحث',
    'committee-chair': 'رئيس لجنة البحث',
    registrar: 'موظف التسجيل',
    service: 'موظف تقديم الخدمة',
    'process-owner': 'مالك الإجراء',
    auditor: 'مدقق',
    admin: 'مدير النظام',
  },
  sections: {
    'api-docs': {
      title: 'توثيق واجهة البرمجة (API)',
      description: 'واجهة Swagger لاستعراض نقاط النهاية وتجربتها.',
    },
  },
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** The shape every language file must have: the Arabic keys, any string values. */
export type Translation = Strings<typeof ar>;
