import type { Translation } from './ar';

/** English strings; same keys as the Arabic file (the type checks it). */
export const en: Translation = {
  app: {
    name: 'Mustafid',
    society: 'Saudi Human Resources Society',
    documentTitle: 'Mustafid — Saudi Human Resources Society',
    skipToContent: 'Skip to content',
    loading: 'Loading…',
    sessionError: 'Could not reach the server to check your session.',
    retry: 'Try again',
  },
  language: {
    switchHint: 'Change the interface language',
  },
  login: {
    heading: 'Sign in',
    intro: 'Sign in with your username and password for the beneficiary-relations system.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    errors: {
      missing: 'Enter your username and password.',
      INVALID_CREDENTIALS: 'The username or password is incorrect.',
      TOO_MANY_LOGIN_ATTEMPTS: 'Too many sign-in attempts. Please wait a little and try again.',
      network: 'Could not reach the server. Check your connection and try again.',
      unknown: 'Something unexpected went wrong. Please try again.',
    },
  },
  header: {
    account: 'Signed-in account',
    logout: 'Sign out',
    loggingOut: 'Signing out…',
  },
  home: {
    welcome: 'Welcome, <name></name>',
    account: 'Your account',
    displayName: 'Name',
    username: 'Username',
    roles: 'Roles',
    noRoles: 'No roles are assigned to your account yet.',
    today: 'Today',
    gregorian: 'Gregorian',
    hijri: 'Hijri (Umm al-Qura)',
    sections: 'Sections your roles give you',
    noSections: 'Your work pages will appear here as they become ready for your roles.',
  },
  roles: {
    applicant: 'Applicant',
    reception: 'Beneficiary-relations officer',
    researcher: 'Social researcher',
    committee: 'Research committee member',
    'committee-chair': 'Research committee chair',
    registrar: 'Registrar',
    service: 'Service officer',
    'process-owner': 'Process owner',
    auditor: 'Auditor',
    admin: 'Administrator',
  },
  sections: {
    'api-docs': {
      title: 'API documentation',
      description: 'Swagger UI to browse and try the endpoints.',
    },
  },
};
