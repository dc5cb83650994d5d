// Real brokers: joining a Kafka consumer group alone takes seconds.
jest.setTimeout(60000);
