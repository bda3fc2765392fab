export { ProjectorModule } from './projector.module';
export { deadLetterPublisher } from './consume/dead-letter.publisher';
