import Testing
import WorkerProtocol

@Suite("Queue names")
struct QueueNamesTests {
    @Test("an ID that is already a queue name is used as is")
    func plainIDs() {
        #expect(QueueNames.jobs(worker: "worker-westeurope-01") == "jobs-worker-westeurope-01")
        #expect(QueueNames.jobsPoison(worker: "worker-westeurope-01") == "jobs-worker-westeurope-01-poison")
        #expect(QueueNames.replies(appliance: "appliance-7f3a") == "replies-appliance-7f3a")
        #expect(QueueNames.jobs(worker: "Worker_1") == "jobs-worker-1-67009cbc")
        #expect(QueueNames.repliesPoison(appliance: "appliance-7f3a") == "replies-appliance-7f3a-poison")
    }

    @Test(
        "any ID gives valid names, distinct for distinct IDs, with the poison queue beside them",
        arguments: [
            ["Worker_1", "worker-1", "worker.1", "WORKER:1"],
            ["a", "A", "-", "--x--"],
            [String(repeating: "w", count: 128), String(repeating: "w", count: 127) + "x"],
        ]
    )
    func anyIDs(ids: [String]) {
        var names: Set<String> = []
        for id in ids {
            let jobs = QueueNames.jobs(worker: id)
            let poison = QueueNames.jobsPoison(worker: id)
            let replies = QueueNames.replies(appliance: id)
            for name in [jobs, poison, replies, QueueNames.repliesPoison(appliance: id)] {
                #expect(QueueNames.isValidQueueName(name), "\(name) is not a valid queue name")
            }
            #expect(poison == jobs + "-poison")
            names.insert(jobs)
        }
        #expect(names.count == ids.count)
    }

    @Test("queue name validity follows Azure's rules")
    func validity() {
        #expect(QueueNames.isValidQueueName("abc"))
        #expect(!QueueNames.isValidQueueName("ab"))
        #expect(!QueueNames.isValidQueueName("Abc"))
        #expect(!QueueNames.isValidQueueName("a--b"))
        #expect(!QueueNames.isValidQueueName("-ab"))
        #expect(!QueueNames.isValidQueueName("ab-"))
        #expect(!QueueNames.isValidQueueName(String(repeating: "a", count: 64)))
    }
}
