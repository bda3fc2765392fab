export { ProjectorModule } from './projector.module';
export { deadLetterPublisher } from './consume/dead-letter.publisher';
export * from './replay-from-kafka/kafka-replay-source';
