import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, registerDecorator } from 'class-validator';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

function IsIsoDateTime() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoDateTime',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)),
        defaultMessage: (a) => `${a?.property} must be a date (YYYY-MM-DD) or a date and time (ISO 8601)`,
      },
    });
}

export const TASK_SORTS = ['due', 'followUp', 'created', 'priority'] as const;

export class TaskQueryDto {
  /** Only tasks assigned to me. */
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'mine must be true or false' })
  mine?: boolean;

  /** Only tasks offered to my groups (my roles). */
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'myGroups must be true or false' })
  myGroups?: boolean;

  /** Only tasks nobody has claimed. */
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'unassigned must be true or false' })
  unassigned?: boolean;

  @IsOptional() @IsIn(['open', 'completed', 'cancelled'], { message: 'state must be open, completed or cancelled' })
  state: 'open' | 'completed' | 'cancelled' = 'open';

  /** The case: its id or its application number (in Western or Arabic-Indic digits). */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0x0f) % 10)) : value))
  @IsString() @Length(1, 60) @Matches(/^[\w-]+$/, { message: 'case must be a case id or an application number' })
  case?: string;

  /** The process (BPMN process id). */
  @IsOptional() @IsString() @Length(1, 255)
  process?: string;

  @IsOptional() @IsIsoDateTime()
  dueBefore?: string;

  @IsOptional() @IsIsoDateTime()
  dueAfter?: string;

  /** Only tasks past their due date. */
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @IsOptional() @IsIn(TASK_SORTS, { message: `sort must be one of ${TASK_SORTS.join(', ')}` })
  sort: (typeof TASK_SORTS)[number] = 'due';

  @IsOptional() @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order: 'asc' | 'desc' = 'asc';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit = 50;

  /** From the previous page's nextCursor. */
  @IsOptional() @IsString() @Length(1, 400)
  cursor?: string;
}

export class CompleteTaskDto {
  /** The form's fields. */
  @IsOptional() @IsObject({ message: 'variables must be a JSON object' })
  variables: Record<string, unknown> = {};

  /** The task's version as the caller saw it; a different current version is a conflict (409). */
  @IsOptional() @IsInt({ message: 'version must be a whole number' })
  version?: number;
}

export class AssignTaskDto {
  /** Username of a member of one of the task's candidate groups. */
  @IsString() @Length(1, 64)
  assignee!: string;
}

export class ScheduleTaskDto {
  /** The new due date (ISO 8601), or null to clear it. */
  @IsOptional() @IsIsoDateTime()
  dueDate?: string | null;

  /** The new follow-up date (ISO 8601), or null to clear it. */
  @IsOptional() @IsIsoDateTime()
  followUpDate?: string | null;
}
