/// The ARM providers and data-plane handlers every LocalCloud instance registers at start.
///
/// Each concern adds its own registration function here (one line each).
enum BuiltInProviders {
    static func register(in cloud: CloudServices) {
        cloud.arm.register(StorageAccountProvider())
        StorageAccountProvider.registerResumers(in: cloud)
        ResourceGroups.registerResumers(in: cloud)
        ComputeRegistration.register(in: cloud)
    }
}
