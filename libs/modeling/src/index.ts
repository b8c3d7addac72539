export { ModelingModule } from './modeling.module';
export { ProjectLint } from './project-lint';
