import { currentLanguage } from '../i18n';

/**
 * bpmn-js and its properties panel in Arabic (issue 19 point 4): the diagram-js `translate`
 * service replaced, as bpmn-js documents (a function `translate(template, replacements)`
 * registered under the name `translate`), with this project's dictionary. A string the
 * dictionary does not have stays in English; `{placeholders}` are filled either way.
 */
export const BPMN_ARABIC: Readonly<Record<string, string>> = {
  // Palette and context pad (bpmn-js)
  'Activate hand tool': 'أداة التحريك',
  'Activate lasso tool': 'أداة التحديد',
  'Activate create/remove space tool': 'أداة إضافة المسافات وإزالتها',
  'Activate global connect tool': 'أداة الربط',
  'Create start event': 'إنشاء حدث بداية',
  'Create intermediate/boundary event': 'إنشاء حدث وسيط أو حدّي',
  'Create end event': 'إنشاء حدث نهاية',
  'Create gateway': 'إنشاء بوابة',
  'Create task': 'إنشاء مهمة',
  'Create data object reference': 'إنشاء مرجع كائن بيانات',
  'Create data store reference': 'إنشاء مرجع مخزن بيانات',
  'Create expanded sub-process': 'إنشاء عملية فرعية موسّعة',
  'Create pool/participant': 'إنشاء مجمّع أو مشارك',
  'Create group': 'إنشاء مجموعة',
  'Append end event': 'إلحاق حدث نهاية',
  'Append gateway': 'إلحاق بوابة',
  'Append task': 'إلحاق مهمة',
  'Append intermediate/boundary event': 'إلحاق حدث وسيط أو حدّي',
  'Append receive task': 'إلحاق مهمة استلام',
  'Append message intermediate catch event': 'إلحاق حدث انتظار رسالة',
  'Append timer intermediate catch event': 'إلحاق حدث مؤقّت',
  'Append signal intermediate catch event': 'إلحاق حدث انتظار إشارة',
  'Append conditional intermediate catch event': 'إلحاق حدث انتظار شرط',
  'Append compensation activity': 'إلحاق نشاط تعويض',
  'Add text annotation': 'إضافة تعليق نصي',
  'Add lane above': 'إضافة مسار أعلى',
  'Add lane below': 'إضافة مسار أسفل',
  'Divide into two lanes': 'تقسيم إلى مسارين',
  'Divide into three lanes': 'تقسيم إلى ثلاثة مسارات',
  'Change element': 'تغيير نوع العنصر',
  'Connect to other element': 'الربط بعنصر آخر',
  'Connect using association': 'الربط بعلاقة',
  'Connect using data input association': 'الربط بعلاقة إدخال بيانات',
  Delete: 'حذف',
  Remove: 'إزالة',
  // Properties panel: groups
  General: 'عام',
  Documentation: 'التوثيق',
  'Element documentation': 'توثيق العنصر',
  'Process documentation': 'توثيق العملية',
  Inputs: 'المدخلات',
  Outputs: 'المخرجات',
  'Input mapping': 'ربط المدخلات',
  'Output mapping': 'ربط المخرجات',
  'Input propagation': 'تمرير المدخلات',
  'Output propagation': 'تمرير المخرجات',
  Form: 'النموذج',
  'Task definition': 'تعريف المهمة',
  Assignment: 'الإسناد',
  'Multi-instance': 'تعدد النسخ',
  'Extension properties': 'خصائص إضافية',
  'Execution listeners': 'مستمعو التنفيذ',
  'Task listeners': 'مستمعو المهمة',
  Headers: 'الترويسات',
  Timer: 'المؤقّت',
  Message: 'الرسالة',
  Signal: 'الإشارة',
  Error: 'الخطأ',
  Escalation: 'التصعيد',
  Condition: 'الشرط',
  Implementation: 'التنفيذ',
  Properties: 'الخصائص',
  // Properties panel: fields
  Name: 'الاسم',
  ID: 'المعرّف',
  Type: 'النوع',
  Value: 'القيمة',
  Key: 'المفتاح',
  Retries: 'عدد المحاولات',
  Priority: 'الأولوية',
  'Due date': 'تاريخ الاستحقاق',
  'Follow up date': 'تاريخ المتابعة',
  Assignee: 'المسند إليه',
  'Candidate groups': 'المجموعات المرشحة',
  'Candidate users': 'المستخدمون المرشحون',
  'Form ID': 'معرّف النموذج',
  'Form key': 'مفتاح النموذج',
  'Called element': 'العنصر المستدعى',
  'Input collection': 'مجموعة المدخلات',
  'Input element': 'عنصر المدخلات',
  'Output collection': 'مجموعة المخرجات',
  'Output element': 'عنصر المخرجات',
  'Completion condition': 'شرط الإنهاء',
  'Local variable name': 'اسم المتغير المحلي',
  'Variable assignment value': 'القيمة المسندة',
  'Process ID': 'معرّف العملية',
  'Version tag': 'وسم النسخة',
  'Result variable': 'متغير النتيجة',
  'Condition expression': 'تعبير الشرط',
  'Source expression': 'تعبير المصدر',
  'FEEL expression': 'تعبير FEEL',
  'Propagate all variables': 'تمرير كل المتغيرات',
  Duration: 'المدة',
  Date: 'التاريخ',
  Cycle: 'الدورة',
  Binding: 'الربط',
  Version: 'النسخة',
  'Job worker': 'منفّذ المهام',
  'Camunda Form (linked)': 'نموذج Camunda (مرتبط)',
  'Camunda Form (embedded)': 'نموذج Camunda (مضمّن)',
  'Custom form key': 'مفتاح نموذج مخصّص',
  '<none>': '<لا شيء>',
  '<empty>': '<فارغ>',
  On: 'مفعّل',
  Off: 'معطّل',
  Create: 'إنشاء',
  'Create new ...': 'إنشاء جديد…',
  'Learn more.': 'اعرف المزيد.',
};

/** Fills `{name}` placeholders, as diagram-js's own translate does. */
function fill(template: string, replacements: Record<string, string> = {}): string {
  return template.replace(/{([^}]+)}/g, (match, key: string) => replacements[key] ?? match);
}

/** diagram-js's `translate` in the page's language (read at each call: the panel redraws in the current one). */
export function translateBpmn(template: string, replacements?: Record<string, string>): string {
  const text = currentLanguage() === 'ar' ? (BPMN_ARABIC[template] ?? template) : template;
  return fill(text, replacements);
}

/** The module for bpmn-js's `additionalModules`: overrides the `translate` service. */
export const bpmnTranslateModule = { translate: ['value', translateBpmn] };
